import * as fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (docs/toolchain.md); playwright-core drives it and never downloads a browser. */
export const CHROMIUM = process.env['HB_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Headless Chromium with nothing that phones home. Playwright gives every launch a fresh temporary
 * profile (its own --user-data-dir), so no state leaks between runs.
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // The alarm tone may play without a click in tests (the app still unlocks on the first click).
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator('.hb-shell').waitFor();
}
