// A status the product shows must be true: recording a decision not to notify
// removes the duty to notify the national panel from the case page and the
// case matrix, and says why.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, axeViolations, launchBrowser, newPage, signInThroughPage } from '../support/browser.mjs';
import { validReferral } from '../support/referral.mjs';
import { DEMO_PASSWORD, call, demoEmail, signIn, startWorker } from '../support/worker.mjs';

let worker;
let browser;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

const choose = (page, legend, option) => page.getByRole('group', { name: legend }).getByLabel(option, { exact: true }).check();

test('a decision not to notify closes the panel duty on the case page and the matrix', async () => {
  const referrer = await signIn(worker.base, 'referrer');
  const { reference } = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral({ aware_on: '2026-11-03' }), headers: referrer })).body;
  const page = await newPage(browser);
  await signInThroughPage(page, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, '/cases');
  await page.goto(`${worker.base}/cases?q=${reference}`);
  const row = page.locator('tbody').first().locator('tr').filter({ hasText: reference });
  await row.waitFor();
  assert.match(await row.textContent(), /Notify the national panel.*overdue/s, 'undecided, the 5 working days have run out');

  await page.goto(`${worker.base}/cases/${reference}`);
  const notify = page.getByRole('row', { name: /Notify the national panel/ });
  await notify.waitFor();
  assert.match(await notify.textContent(), /Overdue/);

  await page.getByRole('link', { name: 'Threshold decision' }).click();
  await page.getByRole('heading', { name: 'Must the national panel be notified?' }).waitFor();
  await choose(page, 'What happened to the child?', 'Harmed, but not seriously');
  await choose(page, 'Is abuse or neglect known or suspected?', 'Not suspected');
  await choose(page, 'Where did it happen?', "In this authority's area");
  await choose(page, 'What was decided?', 'Not notifiable');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.getByRole('heading', { name: reference }).waitFor();

  const closed = page.getByRole('row', { name: /Notify the national panel/ });
  await closed.filter({ hasText: 'Not applicable' }).waitFor();
  const today = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  assert.match(await closed.textContent(), new RegExp(`Not notifiable: decision of ${today}`));
  assert.doesNotMatch(await closed.textContent(), /Overdue|overdue/);
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(artifacts, 'case-not-notifiable-360.png'), fullPage: true });

  await page.goto(`${worker.base}/cases?q=${reference}`);
  await row.waitFor();
  assert.doesNotMatch(await row.textContent(), /Notify the national panel|overdue/, 'nothing due on the matrix');
  assert.equal((await row.locator('td[data-label="Overdue"]').textContent()).trim(), '0');
  assert.deepEqual(page.problems, []);
});
