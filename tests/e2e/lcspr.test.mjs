// Meetings, the LCSPR workspace and the action plan in a 360 px browser:
// book a meeting and see its quorum, set the review's pseudonym and reviewer,
// record family engagement (opened on purpose), a draft, and a SMART action.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, axeViolations, launchBrowser, newPage, signInThroughPage } from '../support/browser.mjs';
import { validReferral } from '../support/referral.mjs';
import { DEMO_PASSWORD, call, demoEmail, signIn, startWorker } from '../support/worker.mjs';

let worker;
let browser;
let reference;
const inDays = (n) => new Date(Date.now() + n * 86_400_000);
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: await signIn(worker.base, 'referrer') })).body.reference;
  const res = await call(worker.base, 'POST', `/api/v1/cases/${reference}/decisions/rapid-review`, { json: {
    option: 'lcspr', rationale: 'Learning about information sharing across agencies', equality_and_racism: 'Considered: no effect found',
    key_lines_of_enquiry: ['Information sharing'], findings: { improvements_needed: true },
  }, headers: await signIn(worker.base, 'partnership_team') });
  assert.equal(res.status, 201);
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

async function fillDate(group, date) {
  await group.getByLabel('Day').fill(String(date.getUTCDate()));
  await group.getByLabel('Month').fill(String(date.getUTCMonth() + 1));
  await group.getByLabel('Year').fill(String(date.getUTCFullYear()));
}

test('a meeting with its quorum, the LCSPR workspace and the action plan', async () => {
  const team = await newPage(browser);
  await signInThroughPage(team, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, `/cases/${reference}`);

  // Book the rapid review meeting with one partner: the card says it is not quorate.
  await team.getByRole('heading', { name: 'Book a meeting' }).waitFor();
  await fillDate(team.getByRole('group', { name: 'Date' }).last(), inDays(5));
  await team.getByLabel('Start time').fill('10:00');
  await team.getByRole('button', { name: 'Add an attendee' }).click();
  const attendee = team.getByRole('group', { name: 'Attendee 1' });
  await attendee.getByLabel('Name').fill('DCI Grey');
  await attendee.getByLabel('Job title').fill('Detective Chief Inspector');
  await attendee.getByLabel('Agency', { exact: true }).selectOption({ label: 'Metropolitan Police Service' });
  await attendee.getByLabel('Can make decisions for their agency').check();
  assert.deepEqual(await axeViolations(team), []);
  await team.getByRole('button', { name: 'Book the meeting' }).click();
  const card = team.locator('.meeting');
  await card.waitFor();
  assert.match(await card.textContent(), /Rapid review meeting.*Booked.*Not quorate.*DCI Grey/s);
  assert.match(await card.getByRole('link', { name: /calendar invitation/ }).getAttribute('href'), new RegExp(`/api/v1/cases/${reference}/meetings/[0-9a-f-]+/invitation\\.ics$`));
  await team.screenshot({ path: join(artifacts, 'meeting-360.png'), fullPage: true });

  // The LCSPR workspace: a pseudonym, the commissioned reviewer, the plan to publication.
  await team.getByRole('link', { name: 'LCSPR workspace' }).click();
  await team.getByRole('heading', { name: 'Pseudonym not chosen yet' }).waitFor();
  await team.getByLabel('Pseudonym').fill('Child K');
  await team.getByLabel('Lead reviewer with an account').selectOption({ label: 'Robin Reviewer' });
  await team.getByRole('button', { name: 'Save the terms of reference' }).click();
  await team.locator('.error-summary').getByText('Record that the reviewer has declared any conflicts of interest before appointing them').waitFor();
  // That refusal (400) was the point; the browser logs it, and nothing else may be logged.
  assert.equal(team.problems.splice(0).length, 1);
  await team.getByLabel('The reviewer has declared any conflicts of interest').check();
  await fillDate(team.getByRole('group', { name: 'Planned publication date' }), inDays(90));
  await team.getByRole('button', { name: 'Save the terms of reference' }).click();
  await team.getByRole('heading', { name: 'Review of Child K' }).waitFor();
  assert.match(await team.locator('.plan__list').textContent(), /Decision to review.*Send report to panel, Ofsted, DfE by.*Planned publication.*6-month limit/s);
  assert.deepEqual(await axeViolations(team), []);

  // Family engagement, sealed and opened on purpose; a draft received.
  const family = team.locator('form').filter({ hasText: 'Record contact with the family' });
  await fillDate(family.getByRole('group', { name: 'Date' }), inDays(0));
  await family.getByLabel('Letter').check();
  await family.getByLabel(/What happened/).fill('Letter sent to the mother inviting her to take part');
  await family.getByRole('button', { name: 'Record' }).click();
  await family.getByText('Recorded and sealed.').waitFor();
  await team.getByRole('button', { name: 'Show the family engagement log' }).click();
  await team.getByText('Letter sent to the mother inviting her to take part').waitFor();
  await team.getByLabel('Draft', { exact: true }).fill('Draft 1');
  await fillDate(team.getByRole('group', { name: 'Received on' }), inDays(0));
  await team.getByRole('button', { name: 'Record the draft' }).click();
  await team.getByRole('button', { name: 'Record subgroup approval today' }).click();
  await team.getByText(/^Approved \d+ \w+ \d{4}$/).first().waitFor();
  await team.screenshot({ path: join(artifacts, 'lcspr-360.png'), fullPage: true });
  assert.deepEqual(team.problems, []);

  // The action plan: a recommendation and a SMART action, then seen across cases.
  await team.getByRole('link', { name: 'Action plan' }).click();
  await team.getByRole('heading', { name: 'Action plan' }).waitFor();
  await team.getByLabel('Recommendation', { exact: true }).fill('Police share domestic abuse notifications with health visitors');
  await team.getByLabel('Learning theme (optional)').selectOption({ label: 'Domestic abuse' });
  await team.getByRole('button', { name: 'Add the recommendation' }).click();
  await team.getByRole('heading', { name: 'Recommendation 1' }).waitFor();
  await team.getByText('Add a SMART action').click();
  await team.getByLabel('What will be done (specific)').fill('Audit twenty notifications for timely sharing');
  await team.getByLabel('How you will know it worked (measurable)').fill('90% shared within 24 hours');
  await team.getByLabel('Owner agency').selectOption({ label: 'Metropolitan Police Service' });
  await fillDate(team.getByRole('group', { name: 'Due by (time-bound)' }), inDays(60));
  await team.getByRole('button', { name: 'Add the action' }).click();
  const table = team.locator('table.actions-table');
  await table.waitFor();
  assert.match(await table.textContent(), /Audit twenty notifications.*Measured by: 90% shared.*Metropolitan Police Service.*Not started/s);
  assert.deepEqual(await axeViolations(team), []);
  await team.goto(`${worker.base}/actions`);
  await team.getByText('1 actions, 0 overdue.').waitFor();
  assert.match(await team.locator('table.actions-table').textContent(), /Child K.*Audit twenty notifications/s);
  assert.deepEqual(await axeViolations(team), []);
  await team.screenshot({ path: join(artifacts, 'actions-360.png'), fullPage: true });
  assert.deepEqual(team.problems, []);
});
