// The runtime stops and comes back mid-session: the page says plainly that
// the service cannot be reached, then recovers with everything committed
// still there, without reloading itself in a loop.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, newPage, signInThroughPage } from '../support/browser.mjs';
import { validReferral } from '../support/referral.mjs';
import { DEMO_PASSWORD, call, demoEmail, signIn, startWorker } from '../support/worker.mjs';

let worker;
let browser;
let reference;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: await signIn(worker.base, 'referrer') })).body.reference;
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

test('a restart of the runtime mid-session: a plain message, then recovery without a reload loop', async () => {
  const page = await newPage(browser);
  await signInThroughPage(page, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, '/cases');
  await page.getByRole('caption').filter({ hasText: 'Cases 1 to 1 of 1' }).waitFor();

  const { persist, base } = worker;
  const port = Number(new URL(base).port);
  await worker.stop({ keepState: true });
  await page.getByLabel('Stage').selectOption('referral_received');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('alert').getByText('We could not reach the service. Check your connection and try again.').waitFor();

  worker = await startWorker({ persist, port });
  let navigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('link', { name: reference }).waitFor();
  await page.waitForTimeout(2000);
  assert.equal(navigations, 0, 'the app recovered in place: no reloads');
  // The session, in D1, survived: the page goes on without signing in again.
  await page.getByRole('link', { name: reference }).click();
  await page.getByRole('heading', { name: reference }).waitFor();
  // The fetch that failed while the runtime was down is the only thing logged.
  assert.ok(page.problems.every((p) => /Failed to load resource|Failed to fetch|ERR_CONNECTION_REFUSED/.test(p)), page.problems.join('\n'));
});
