import { type ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { providerHostPolicy } from '../domains/payments/provider-hosts.ts';
import type { Platform } from '../platform/http/platform.ts';
import { projectPath, RUNNING_BUILD } from '../platform/project-root.ts';
import { type FilePassResult, VERIFIER_PASS_MESSAGE } from './verifier-pass.ts';
import { newVerifierRecordState, recordVerifierPass } from './verifier-record.ts';

// The compiled build runs the verifier's own bundle with plain Node; the sources run it through tsx.
const VERIFIER_MAIN = RUNNING_BUILD ? projectPath('dist', 'verifier.main.js') : path.join(path.dirname(fileURLToPath(import.meta.url)), 'verifier.main.ts');
const VERIFIER_EXEC_ARGV = RUNNING_BUILD ? [] : ['--import', 'tsx'];

export interface VerifierProcess {
  readonly child: ChildProcess | null;
  stop(): Promise<void>;
}

/**
 * Called by `npm start` (src/main.ts) after the build manifest is prepared: forks the verifier as
 * its own process and restarts it if it dies (the dead-man's switch reports the gap). With
 * PGlite the child cannot open the database, so this process records the passes it sends.
 */
export function startVerifierProcess(platform: Pick<Platform, 'config' | 'database' | 'log'>, options: { env?: NodeJS.ProcessEnv } = {}): VerifierProcess {
  const { config, database, log } = platform;
  const state = newVerifierRecordState(`${os.hostname()}:${process.pid}:ipc`, config.VERIFIER_INTERVAL_SECONDS, providerHostPolicy(config));
  let child: ChildProcess | null = null;
  let stopping = false;
  let recording = Promise.resolve();

  const spawn = () => {
    child = fork(VERIFIER_MAIN, [], { execArgv: VERIFIER_EXEC_ARGV, env: options.env ?? process.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message: { type?: string; pass?: FilePassResult }) => {
      if (message?.type !== VERIFIER_PASS_MESSAGE || !message.pass || config.DATABASE_URL) return;
      const pass = message.pass;
      recording = recording
        .then(async () => {
          const recorded = await recordVerifierPass(database, pass, state);
          if (recorded.problems) log.fatal({ event: 'security.verifier_mismatch', problems: recorded.problems }, 'verifier found differences');
        })
        .catch((err) => log.error({ err }, 'could not record a verifier pass'));
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      log.error({ code, signal, event: 'security.verifier_exited' }, 'verifier process exited; restarting in 5 s');
      setTimeout(() => {
        if (!stopping) spawn();
      }, 5_000).unref();
    });
  };
  spawn();
  return {
    get child() {
      return child;
    },
    async stop() {
      stopping = true;
      const running = child;
      if (running && running.exitCode === null) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      }
      await recording;
    },
  };
}
