// Settings: the partnership team sees its playbook with sources, adds a closure
// day and an agency, and switches preset.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, axeViolations, launchBrowser, newPage, signInThroughPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, demoEmail, startWorker } from '../support/worker.mjs';

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

test('the partnership team changes its settings', async () => {
  const page = await newPage(browser);
  await signInThroughPage(page, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, '/');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Playbook' }).waitFor();
  assert.match(await page.locator('table.playbook').textContent(), /KRSCP guidance/);
  assert.match(await page.locator('table.playbook').textContent(), /Notify the national panel \(statutory\)/);

  const day = page.getByRole('group', { name: 'Add a closure day' });
  await day.getByLabel('Day').fill('29');
  await day.getByLabel('Month').fill('12');
  await day.getByLabel('Year').fill('2026');
  await page.getByRole('button', { name: 'Add closure day' }).click();
  await page.getByText('29 December 2026').waitFor();

  await page.getByLabel('Add an agency').fill('Richmond Youth Service');
  await page.getByRole('group', { name: 'Kind of agency' }).getByLabel('Voluntary').check();
  await page.getByRole('button', { name: 'Add agency' }).click();
  await page.getByRole('rowheader', { name: 'Richmond Youth Service' }).waitFor();

  await page.getByRole('group', { name: 'Start from a preset' }).getByLabel('LLR').check();
  await page.getByRole('button', { name: 'Use this playbook' }).click();
  await page.getByText('follows Leicester, Leicestershire and Rutland (LLR)').waitFor();

  // Edit the steps: a statutory step may not be loosened; a local step is added.
  await page.getByText('Edit the steps').click();
  const notify = page.getByRole('group', { name: 'Notify the national panel (statutory)' });
  await notify.getByLabel('How many').fill('10');
  await page.getByRole('button', { name: 'Save the playbook' }).click();
  await page.getByText('The statutory step notify_panel cannot be given longer than the law allows').waitFor();
  assert.equal(page.problems.splice(0).length, 1, 'the refusal (400) is the only thing logged');
  await notify.getByLabel('How many').fill('4');
  await page.getByRole('button', { name: 'Add a step' }).click();
  const added = page.locator('fieldset.playbook-step').last();
  await added.getByLabel('Step').fill('Brief the lead member');
  await added.getByLabel('How many').fill('3');
  await added.getByLabel('From').selectOption({ label: 'Outcome decided' });
  await added.getByLabel('Done when').selectOption({ label: 'Case closed' });
  assert.deepEqual(await axeViolations(page), []);
  await page.getByRole('button', { name: 'Save the playbook' }).click();
  await page.getByText('(edited).').waitFor();
  const steps = await page.locator('table.playbook').textContent();
  assert.match(steps, /Notify the national panel \(statutory\)Applies: until a decision not to notify the national panel4 working days after: referrer's agency became aware/);
  assert.match(steps, /Hold the rapid review meetingApplies: a rapid review \(the panel notified\)between 7 and 13 working days after: referral received/, 'the window survives the edit');
  assert.match(steps, /Brief the lead member3 working days after: outcome decided/);
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(artifacts, 'settings-360.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
});
