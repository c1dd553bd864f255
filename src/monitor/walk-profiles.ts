import type { Browser, BrowserContextOptions } from 'playwright-core';
import type { MonitorProfile } from '../domains/monitor/monitor.tables.ts';

/**
 * Desktop and phone profiles with ordinary user agents: headless Chromium's own UA says
 * "HeadlessChrome", which a cloaked skimmer (BRIEF catalogue 12) would skip. The Chrome major
 * version is the real one of the binary, so the UA and the client hints agree.
 */
export function chromeMajor(browser: Browser): string {
  return /^(\d+)/.exec(browser.version())?.[1] ?? '131';
}

export function profileUserAgent(profile: MonitorProfile, major: string): string {
  return profile === 'mobile'
    ? `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36`
    : `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}

export function contextOptions(profile: MonitorProfile, browser: Browser): BrowserContextOptions {
  const userAgent = profileUserAgent(profile, chromeMajor(browser));
  const common = { userAgent, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', ignoreHTTPSErrors: false, javaScriptEnabled: true } as const;
  return profile === 'mobile'
    ? { ...common, viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true }
    : { ...common, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false };
}

/** Runs before any page script: navigator.webdriver reads false, as in a person's browser. */
export const ORDINARY_BROWSER_INIT = `Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false, configurable: true });`;
