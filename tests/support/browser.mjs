// Debian's Chromium driven by playwright-core: never a downloaded browser.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { root, startWorker } from './worker.mjs';

export const artifacts = join(root, 'tests/artifacts');
mkdirSync(artifacts, { recursive: true });

export const PHONE = { width: 360, height: 740 };

/** Playwright gives every launch a fresh, empty profile of its own. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A page that fails the test on any uncaught error or console error of the app. */
export async function newPage(browser, viewport = PHONE) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  // The app asks "who is signed in?" before anyone is: that 401 is expected, not a problem.
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 401/.test(message.text())) page.problems.push(`console: ${message.text()}`);
  });
  return page;
}

/** Signs in through the app's own sign-in page, landing on `next`. */
export async function signInThroughPage(page, base, email, password, next = '/') {
  await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === next);
}

/** Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page; returns the violations, summarised. */
export async function axeViolations(page) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const source = (await import('node:fs')).readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const results = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
}

/**
 * A worker and a browser shared by one file's tests, started before them and
 * stopped after: `const env = withWorkerAndBrowser();`, then `env.worker`, `env.browser`.
 */
export function withWorkerAndBrowser(options) {
  const env = {};
  before(async () => {
    env.worker = await startWorker(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.worker?.stop();
  });
  return env;
}
