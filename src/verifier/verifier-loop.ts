import type { KeyObject } from 'node:crypto';
import type { FileSetSpec } from '../platform/build-manifest/build-files.ts';
import { type FilePassResult, runFilePass } from './verifier-pass.ts';

/**
 * Runs a file pass at once and then every `intervalSeconds`, handing each result to `report`.
 * Passes never overlap: the next one is scheduled when the previous report has finished, so a
 * slow database cannot pile passes up.
 */
export function startFilePasses(options: {
  root: string;
  manifestPath: string;
  publicKey: KeyObject;
  intervalSeconds: number;
  spec?: FileSetSpec;
  report: (pass: FilePassResult) => Promise<void>;
  onError: (err: unknown) => void;
}): { stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = async () => {
    try {
      await options.report(runFilePass(options));
    } catch (err) {
      options.onError(err);
    }
    if (!stopped) timer = setTimeout(tick, options.intervalSeconds * 1000);
  };
  timer = setTimeout(tick, 0);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
