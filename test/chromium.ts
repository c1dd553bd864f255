import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, launched the one way this project's browser tests and monitor use it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

/** `extraArgs` for a test's own needs, e.g. `--host-resolver-rules` to reach a production-style origin. */
export function launchChromium(options: { extraArgs?: readonly string[] } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])], headless: true });
}
