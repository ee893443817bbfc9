// The live decision flowchart: the engine runs in the browser as answers are
// given, shows the result and its reasons, draws the path, and on a case the
// partnership records the decision.
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

const heading = (page) => page.locator('#decision-title');
const choose = (page, legend, option) => page.getByRole('group', { name: legend }).getByLabel(option, { exact: true }).check();

test('walking the flowchart to each outcome', async () => {
  const page = await newPage(browser);
  await page.goto(`${worker.base}/threshold`);
  const aware = page.getByRole('group', { name: 'When did the agency become aware?' });
  await aware.getByLabel('Day').fill('24');
  await aware.getByLabel('Month').fill('12');
  await aware.getByLabel('Year').fill('2026');
  assert.equal(await heading(page).textContent(), 'Cannot decide yet');

  await choose(page, 'What happened to the child?', 'The child was seriously harmed');
  await choose(page, 'Is abuse or neglect known or suspected?', 'Suspected');
  await choose(page, 'Where did it happen?', "In this authority's area");
  assert.equal(await heading(page).textContent(), 'Notify the national panel');
  assert.match(await page.locator('.decision__due').textContent(), /Tuesday 5 January 2027/);
  assert.equal(await page.locator('.flowchart__outcome--taken.flowchart__outcome--notify').count(), 1, 'the picture highlights the outcome');
  assert.match(await page.locator('#flowchart-desc').textContent(), /Died or seriously harmed\? → Abuse or neglect known or suspected\? → Where did it happen\? → Notify the national panel/);
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(artifacts, 'threshold-notify-360.png'), fullPage: true });

  await choose(page, 'Where did it happen?', 'Elsewhere in England, child resident here');
  assert.equal(await heading(page).textContent(), 'The authority where it happened notifies');

  await choose(page, 'Where did it happen?', "In this authority's area");
  await choose(page, 'Which partnership\'s rules?', 'Kent');
  await choose(page, 'Was the child placed here by another local authority?', 'Yes');
  assert.equal(await heading(page).textContent(), 'Invite the placing authority to notify');

  await choose(page, 'What happened to the child?', 'Harmed, but not seriously');
  assert.equal(await heading(page).textContent(), 'Not notifiable');

  await choose(page, 'What happened to the child?', 'The child died');
  await choose(page, 'Is abuse or neglect known or suspected?', 'Not suspected');
  await page.getByLabel('Age in years (optional)').fill('21');
  await choose(page, 'Was this a care leaver?', 'Yes');
  assert.equal(await heading(page).textContent(), 'Notify for information only');
  assert.deepEqual(page.problems, []);
});

test('the partnership team records the decision on a case; overriding needs a rationale', async () => {
  const referrer = await signIn(worker.base, 'referrer');
  const { reference } = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: referrer })).body;
  const page = await newPage(browser);
  await signInThroughPage(page, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, `/cases/${reference}`);
  await page.getByRole('link', { name: 'Threshold decision' }).click();
  await page.getByRole('heading', { name: 'Must the national panel be notified?' }).waitFor();
  await choose(page, 'What happened to the child?', 'The child was seriously harmed');
  await choose(page, 'Is abuse or neglect known or suspected?', 'Known');
  await choose(page, 'Where did it happen?', "In this authority's area");
  assert.equal(await heading(page).textContent(), 'Notify the national panel');
  assert.equal(await page.getByRole('group', { name: 'What was decided?' }).getByLabel('Notify the national panel').isChecked(), true, 'the engine\'s proposal is offered');

  await choose(page, 'What was decided?', 'Not notifiable');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').textContent(), /explain why/);

  await choose(page, 'What was decided?', 'Notify the national panel');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.getByRole('heading', { name: reference }).waitFor();
  const deadlines = page.locator('table.deadlines');
  await deadlines.waitFor();
  assert.match(await deadlines.textContent(), /Notify the national panel/);
  assert.doesNotMatch(await deadlines.textContent(), /Tell the partnership manager/, 'KRSCP: told the same day as the notification');
  assert.match(await page.locator('.timeline').textContent(), /Threshold decision recorded/);
  const sent = page.locator('ul.notifications');
  await sent.waitFor();
  assert.match(await sent.textContent(), /Decision to notify the national panel/);
  assert.match(await sent.textContent(), /to manager@krscp\.demo/);

  // The team records the notification: its deadline is met, and the rapid review clock starts.
  await page.getByLabel('What happened', { exact: true }).selectOption('notified');
  const on = page.getByRole('group', { name: 'On what date?' });
  await on.getByLabel('Day').fill('9');
  await on.getByLabel('Month').fill('11');
  await on.getByLabel('Year').fill('2026');
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await page.getByRole('rowheader', { name: /Submit the rapid review to the national panel/ }).waitFor();
  const notifyRow = page.getByRole('row', { name: /Notify the national panel/ });
  assert.match(await notifyRow.textContent(), /Done on time/);
  assert.match(await page.locator('.timeline').textContent(), /National panel notified · 9 November 2026/);
  assert.match(await page.locator('table.deadlines').textContent(), /Tell the partnership manager/);

  const mailbox = await newPage(browser);
  await signInThroughPage(mailbox, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, '/dev/mailbox');
  await mailbox.getByRole('heading', { name: `New serious incident referral ${reference}` }).waitFor();
  assert.match(await mailbox.locator('main').textContent(), /you will be asked to sign in/);
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(artifacts, 'case-deadlines-360.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
});
