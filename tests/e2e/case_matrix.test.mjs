// The case matrix: filter, search and sort kept in the address; CSV export link.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, axeViolations, launchBrowser, newPage, signInThroughPage } from '../support/browser.mjs';
import { CHILD_NAME, validReferral } from '../support/referral.mjs';
import { DEMO_PASSWORD, call, demoEmail, signIn, startWorker } from '../support/worker.mjs';

let worker;
let browser;
const refs = [];
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  const referrer = await signIn(worker.base, 'referrer');
  const team = await signIn(worker.base, 'partnership_team');
  for (const agency of ['Kingston Hospital', 'Richmond School', 'Metropolitan Police Service']) {
    refs.push((await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral({ referrer_agency: agency }), headers: referrer })).body.reference);
  }
  await call(worker.base, 'PATCH', `/api/v1/cases/${refs[1]}`, { json: { version: 1, themes: ['neglect'] }, headers: team });
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

test('the partnership team filters, searches and sorts the case matrix', async () => {
  const page = await newPage(browser, { width: 1280, height: 900 });
  await signInThroughPage(page, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, '/cases');
  await page.getByRole('caption').filter({ hasText: 'Cases 1 to 3 of 3' }).waitFor();

  await page.getByLabel('Theme', { exact: true }).selectOption('neglect');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/theme=neglect/);
  await page.getByText('Cases 1 to 1 of 1').waitFor();
  assert.match(await page.locator('tbody').first().textContent(), /Richmond School/);
  assert.match(await page.getByRole('link', { name: 'Download these cases as CSV' }).getAttribute('href'), /^\/api\/v1\/cases\.csv\?theme=neglect/);

  await page.goto(`${worker.base}/cases?q=police`);
  await page.getByText('Cases 1 to 1 of 1').waitFor();
  assert.match(await page.locator('tbody').first().textContent(), /Metropolitan Police Service/);

  await page.goto(`${worker.base}/cases`);
  await page.getByRole('link', { name: 'Reference' }).click();
  await page.waitForURL(/sort=reference&order=asc/);
  await page.getByRole('columnheader', { name: /Reference/ }).and(page.locator('[aria-sort="ascending"]')).waitFor();
  // The header follows the address at once; the rows follow when the sorted page arrives.
  const sorted = [...refs].sort();
  await page.locator('tbody').first().locator('tr').first().filter({ hasText: sorted[0] }).waitFor();
  const shown = await page.locator('tbody').first().locator('th a').allTextContents();
  assert.deepEqual(shown, sorted);
  assert.ok(!(await page.content()).includes(CHILD_NAME));
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(artifacts, 'case-matrix-1280.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
});

test('figures and charts for a chosen period, with the numbers as a table too', async () => {
  const page = await newPage(browser);
  await signInThroughPage(page, worker.base, demoEmail('decision_maker'), DEMO_PASSWORD, '/cases');
  const figures = page.getByRole('region', { name: 'Figures' });
  await figures.getByText(/3 referrals received/).waitFor();
  assert.ok(await figures.getByRole('img', { name: /Themes.*Neglect: 1/ }).isVisible(), 'the chart has a text alternative');
  await figures.getByLabel('Period').selectOption({ index: 6 });
  await figures.getByText(/0 referrals received/).waitFor();
  await figures.getByLabel('Period').selectOption({ index: 0 });
  await figures.getByText(/3 referrals received/).waitFor();
  await figures.getByText('The figures as a table').click();
  assert.match(await figures.locator('table').textContent(), /Referrals received\s*3/);
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(artifacts, 'figures-360.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
});

test('the home page shows the partnership team what to do next', async () => {
  const page = await newPage(browser);
  await signInThroughPage(page, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, '/');
  await page.getByRole('heading', { name: 'Your work' }).waitFor();
  const waiting = page.getByRole('heading', { name: 'Waiting for a threshold decision' });
  await waiting.waitFor();
  for (const ref of refs) assert.ok(await page.getByRole('link', { name: ref }).first().isVisible());
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(artifacts, 'home-your-work-360.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
});
