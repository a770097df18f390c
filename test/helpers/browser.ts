/**
 * Headless Debian Chromium for end-to-end tests. Never downloads a browser: the executable comes
 * from the OS (`apt-get install chromium`), or CHROMIUM_PATH.
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type LaunchOptions, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../collector/cli/chromium';

export { CHROMIUM_PATH };

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

const BASE_ARGS = [...CHROMIUM_ARGS];

/** A desktop Chrome user agent, for tests that need a visitor the collector treats as human. */
export const HUMAN_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

export interface LaunchChromiumOptions {
  /** Look like a person: desktop UA and no `navigator.webdriver`. Default: announce automation, as headless Chromium does. */
  human?: boolean;
  extraArgs?: string[];
}

export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const args = [...BASE_ARGS, ...(options.extraArgs ?? [])];
  // A beacon sent while a page unloads carries the browser's own UA, not the context's: set both.
  if (options.human)
    args.push('--disable-blink-features=AutomationControlled', `--user-agent=${HUMAN_USER_AGENT}`);
  const launch: LaunchOptions = { executablePath: CHROMIUM_PATH, args, headless: true };
  return chromium.launch(launch);
}

/** A fresh context (own storage, cookies); with `human`, a desktop UA. */
export async function newContext(browser: Browser, human = false): Promise<BrowserContext> {
  return browser.newContext(human ? { userAgent: HUMAN_USER_AGENT } : {});
}

/** Collects the page's uncaught errors and console errors from now on (tests expect none). */
export function scriptErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}
