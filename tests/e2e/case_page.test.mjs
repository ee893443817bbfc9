// The case page: facts for whoever may see the case; the child's details only
// for roles that may read them, and only after "Show personal details".
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, axeViolations, launchBrowser, newPage, signInThroughPage } from '../support/browser.mjs';
import { CHILD_NAME, validReferral } from '../support/referral.mjs';
import { DEMO_PASSWORD, call, demoEmail, signIn, startWorker } from '../support/worker.mjs';

let worker;
let browser;
let reference;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  const referrer = await signIn(worker.base, 'referrer');
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: referrer })).body.reference;
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

test('the partnership team opens personal details on purpose', async () => {
  const page = await newPage(browser);
  await signInThroughPage(page, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, '/cases');
  await page.getByRole('link', { name: reference }).click();
  await page.getByRole('heading', { name: reference }).waitFor();
  assert.ok(!(await page.content()).includes(CHILD_NAME), 'hidden until asked for');
  // Every section has finished loading (on a loaded machine they can take a while).
  await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0);
  await page.getByRole('button', { name: 'Show personal details' }).click();
  const region = page.getByRole('region', { name: 'Personal details' });
  await region.waitFor();
  assert.match(await region.textContent(), new RegExp(CHILD_NAME));
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(artifacts, 'case-page-personal-details-360.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
});

test('a referrer sees their case but never a way to open personal details', async () => {
  const page = await newPage(browser);
  await signInThroughPage(page, worker.base, demoEmail('referrer'), DEMO_PASSWORD, `/cases/${reference}`);
  await page.getByRole('heading', { name: reference }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Show personal details' }).count(), 0);
  assert.ok(!(await page.content()).includes(CHILD_NAME));
});

test('the pages anyone can reach pass the accessibility check: start, sign-in, threshold tool, not found', async () => {
  const page = await newPage(browser);
  for (const [path, heading] of [['/', 'Serious child safeguarding incidents'], ['/sign-in', 'Sign in'], ['/threshold', null], ['/no-such-page', null]]) {
    await page.goto(`${worker.base}${path}`);
    if (heading) await page.getByRole('heading', { name: heading }).waitFor();
    else await page.locator('h1').first().waitFor();
    assert.deepEqual(await axeViolations(page), [], path);
  }
  assert.deepEqual(page.problems, []);
});
