// The rapid review on a case: the team asks an agency, the agency lead returns
// a chronology, and the merged chronology is opened on purpose.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, axeViolations, launchBrowser, newPage, signInThroughPage } from '../support/browser.mjs';
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

test('asking an agency, its return, and the merged chronology', async () => {
  const team = await newPage(browser);
  await signInThroughPage(team, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, `/cases/${reference}`);
  await team.getByRole('heading', { name: 'Information from agencies' }).waitFor();
  await team.getByLabel('Agency', { exact: true }).selectOption({ label: 'Metropolitan Police Service' });
  await team.getByRole('button', { name: 'Send request' }).click();
  const table = team.locator('table.agency-table');
  await table.waitFor();
  assert.match(await table.textContent(), /Metropolitan Police Service.*Chronology.*Not yet/s);

  const lead = await newPage(browser);
  await signInThroughPage(lead, worker.base, demoEmail('agency_lead'), DEMO_PASSWORD, `/cases/${reference}`);
  await lead.getByRole('heading', { name: 'Return: Chronology from Metropolitan Police Service' }).waitFor();
  const entry = lead.getByRole('group', { name: 'Entry 1' });
  const date = entry.getByRole('group', { name: 'Date' });
  await date.getByLabel('Day').fill('20');
  await date.getByLabel('Month').fill('10');
  await date.getByLabel('Year').fill('2026');
  await entry.getByLabel('What happened').fill('Police called to the home: verbal argument, no arrest');
  assert.deepEqual(await axeViolations(lead), []);
  await lead.getByRole('button', { name: 'Send the chronology' }).click();
  await lead.locator('table.agency-table').filter({ hasText: /Yes, .* \(1 entries\)/ }).waitFor();
  assert.deepEqual(lead.problems, []);

  await team.reload();
  await team.getByRole('button', { name: 'Show the chronology' }).click();
  const chronology = team.locator('table.chronology');
  await chronology.waitFor();
  assert.match(await chronology.textContent(), /20 October 2026.*Metropolitan Police Service.*verbal argument/s);
  await team.getByLabel('Show entries from').selectOption({ label: 'Metropolitan Police Service' });
  assert.equal(await chronology.locator('tbody tr:visible').count(), 1, 'filtered to one agency');

  // The outcome: the summariser runs as findings are ticked; the people decide.
  const findings = team.getByRole('group', { name: 'What the partners found' });
  await findings.getByLabel('The case highlights improvements needed to safeguard children').check();
  await findings.getByLabel('Learning beyond what existing reviews have found is claimed').check();
  assert.match(await team.locator('.inset').filter({ hasText: 'Options to consider' }).textContent(), /Options to consider: Local child safeguarding practice review/);
  await team.getByRole('group', { name: 'What did the partners decide?' }).getByLabel('Local child safeguarding practice review').check();
  await team.getByLabel('Rationale').fill('Multi-agency learning about information sharing across borders');
  await team.getByLabel(/racism, inequality and protected characteristics/).fill('Language barriers delayed access to services');
  await team.getByLabel('Key lines of enquiry (one per line)').fill('One\nTwo\nThree\nFour\nFive');
  await team.getByText('5 lines of enquiry: the national panel advises no more than 3 or 4.').waitFor();
  assert.deepEqual(await axeViolations(team), []);
  await team.getByRole('button', { name: 'Record the outcome' }).click();
  await team.getByText(/The decision is recorded\. 5 key lines of enquiry/).waitFor();
  await team.screenshot({ path: join(artifacts, 'rapid-review-360.png'), fullPage: true });
  assert.deepEqual(team.problems, []);
});
