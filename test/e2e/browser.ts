/**
 * Browser-test support: Debian's Chromium driven by playwright-core (headless, no sandbox, a fresh profile
 * per launch), and the real Earshot app on a temporary SQLite database with the dashboard built.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { createApp, type RunningApp } from '../../src/app.ts';
import { buildWeb } from '../../scripts/build-web.mjs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM_PATH);
/** Why the browser tests are skipped here (node:test prints it), or false when they run. */
export const SKIP_BROWSER: string | false = HAVE_CHROMIUM ? false : `browser tests skipped: ${CHROMIUM_PATH} is missing (apt-get install chromium; CI installs it)`;

export interface LaunchedBrowser {
  browser: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a throw-away profile; `close` removes the profile too. */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    viewport: { width: 1360, height: 900 },
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
  });
  return {
    browser,
    async close() {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type { Browser };

/**
 * Polls `check` from the test (not in the page: the app's CSP forbids the eval a string `waitForFunction` polls
 * with) until it holds; fails with `what` after `timeoutMs`.
 */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface TestServer {
  app: RunningApp;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** Builds the dashboard if it is missing or older than its sources, and starts the real app (sources scheduled) on a fresh SQLite file. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  if (!(await buildWeb({ ifStale: true, quiet: true }))) throw new Error('the dashboard could not be built (is vite installed?)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-e2e-'));
  const config = loadConfig({}, { PORT: '0', DB_PATH: path.join(dir, 'e2e.db'), LOG_LEVEL: 'warn', ...env });
  const app = await createApp(config);
  const url = await app.listen();
  return {
    app, url, dir,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
