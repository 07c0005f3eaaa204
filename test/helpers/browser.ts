import fs from "node:fs";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

/** CHROMIUM_PATH is the Debian chromium binary the browser tests drive. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** chromiumInstalled tells whether the browser binary exists on this machine. */
export function chromiumInstalled(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * launchBrowser starts headless Debian Chromium through playwright-core. It fails when Chromium is
 * missing: browser tests are never silently skipped.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!chromiumInstalled()) {
    throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install -y chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}

/** newBrowserContext opens an isolated profile (own cookies), like a fresh private window. */
export async function newBrowserContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: "en-US", javaScriptEnabled: true });
}
