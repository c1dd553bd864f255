import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

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

export function launchMonitorBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: MONITOR_CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}
