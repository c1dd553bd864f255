import fs from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * The monitor's Chromium: Debian's binary (CHROMIUM_PATH), the same flags the browser tests use,
 * plus one that stops Blink announcing automation (navigator.webdriver) — the walker should look
 * like an ordinary buyer's browser, not like a bot a cloaked skimmer would skip.
 */
export const MONITOR_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-blink-features=AutomationControlled',
];

export function monitorChromiumAvailable(executablePath: string): boolean {
  try {
    fs.accessSync(executablePath, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** playwright-core is loaded on the first walk, not at boot: it is the server's largest module (~80 MB). */
export async function launchMonitorBrowser(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: MONITOR_CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}
