// A person on a 360 px phone sends a referral and finds it in the case list,
// in Debian's Chromium against the real worker and a fresh local D1.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, launchBrowser, newPage } from '../support/browser.mjs';
import { startWorker } from '../support/worker.mjs';

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

test('a referral sent from a phone is received and listed', async () => {
  const page = await newPage(browser);
  await page.goto(`${worker.base}/referrals/new`);
  await page.getByRole('heading', { name: 'Tell us about a serious incident' }).waitFor();

  // Sending nothing shows the GOV.UK error summary, linked to each field.
  await page.getByRole('button', { name: 'Send referral' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await summary.locator('a').count(), 4);
  assert.equal(await summary.locator('a').first().getAttribute('href'), '#referrer_agency');
  await page.screenshot({ path: join(artifacts, 'referral-errors-360.png'), fullPage: true });

  await page.getByLabel('Your agency').fill('Richmond Children\'s Services');
  const incident = page.getByRole('group', { name: 'When did the incident happen?' });
  await incident.getByLabel('Day').fill('2');
  await incident.getByLabel('Month').fill('11');
  await incident.getByLabel('Year').fill('2026');
  const aware = page.getByRole('group', { name: 'When did your agency become aware of it?' });
  await aware.getByLabel('Day').fill('3');
  await aware.getByLabel('Month').fill('11');
  await aware.getByLabel('Year').fill('2026');
  await page.getByLabel('What happened?').fill('Child of 6 admitted to hospital with burns; cause unexplained.');

  // The draft survives a reload.
  await page.reload();
  assert.equal(await page.getByLabel('Your agency').inputValue(), 'Richmond Children\'s Services');
  assert.equal(await aware.getByLabel('Day').inputValue(), '3');

  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (page is ${width} px wide)`);

  await page.getByRole('button', { name: 'Send referral' }).click();
  const panel = page.locator('.panel--confirmation');
  await panel.waitFor();
  const reference = (await panel.locator('.case-reference').textContent()).trim();
  assert.match(reference, /^KRSCP-\d{4}-\d{4}$/);
  await page.screenshot({ path: join(artifacts, 'referral-received-360.png'), fullPage: true });

  await page.getByRole('link', { name: 'Cases' }).click();
  const row = page.getByRole('row', { name: new RegExp(reference) });
  await row.waitFor();
  assert.match(await row.textContent(), /Richmond Children's Services/);
  assert.doesNotMatch(await page.content(), /burns/, 'the case list shows no incident detail');
  await page.screenshot({ path: join(artifacts, 'case-list-360.png'), fullPage: true });

  assert.deepEqual(page.problems, []);
});
