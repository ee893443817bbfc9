// A person on a 360 px phone signs in, sends a referral and finds it in the
// case list, in Debian's Chromium against the real worker and a fresh local D1.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, axeViolations, launchBrowser, newPage } from '../support/browser.mjs';
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

async function fillDate(page, legend, day, month, year) {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(day);
  await group.getByLabel('Month').fill(month);
  await group.getByLabel('Year').fill(year);
}

test('a referral sent from a phone is received and listed', async () => {
  const page = await newPage(browser);
  await page.goto(`${worker.base}/referrals/new`);

  // Not signed in: sent to sign in, then back to the form.
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email address').fill(demoEmail('referrer'));
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'About you' }).waitFor();
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Riley Referrer', 'known details are filled in');
  assert.equal(await page.getByLabel('Your agency').inputValue(), 'Kingston Hospital');

  // Continuing with a required question unanswered shows the GOV.UK error summary, linked to the field.
  await page.getByRole('button', { name: 'Continue' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.deepEqual(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['#referrer_role']);
  await summary.locator('a').first().click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'referrer_role', 'an error link moves focus to its field');
  await page.getByLabel('Your role').fill('Named nurse for safeguarding');
  await page.getByRole('button', { name: 'Continue' }).click();

  // The children: up to four, each with their own questions.
  await page.getByRole('heading', { name: 'The child' }).waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').textContent(), /Enter the child's name/);
  await page.screenshot({ path: join(artifacts, 'referral-errors-360.png'), fullPage: true });
  await page.getByLabel("Child's full name").fill('Zebedee Quillfeather');
  await fillDate(page, 'Date of birth (optional)', '14', '3', '2019');
  await page.getByLabel('NHS number (optional)').fill('943 476 5919');
  await page.getByLabel('On a child protection plan').check();
  await page.getByRole('button', { name: 'Add another child' }).click();
  await page.getByLabel('Child 2: full name').fill('Sibling Quillfeather');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { name: 'The incident' }).waitFor();
  await fillDate(page, 'When did the incident happen?', '2', '11', '2026');
  await page.getByLabel('Where did it happen?').fill('Family home');
  await fillDate(page, 'When did your agency become aware of it?', '3', '11', '2026');
  await page.getByLabel('What happened?').fill('Child of 6 admitted to hospital with burns; cause unexplained.');

  // The draft survives a reload.
  await page.reload();
  await page.getByLabel('Immediate safeguarding arrangements').fill('Siblings with grandparents under a safety plan.');
  assert.equal(await page.getByRole('group', { name: 'When did your agency become aware of it?' }).getByLabel('Day').inputValue(), '3');
  await page.getByRole('button', { name: 'Continue' }).click();

  // Check your answers, with a way back to change any of them.
  await page.getByRole('heading', { name: 'Check your answers before sending' }).waitFor();
  const answers = await page.locator('main').textContent();
  for (const expected of ['Zebedee Quillfeather', 'Sibling Quillfeather', '14 March 2019', 'On a child protection plan', '3 November 2026', 'Family home']) {
    assert.ok(answers.includes(expected), `check your answers shows ${expected}`);
  }
  await page.screenshot({ path: join(artifacts, 'referral-check-answers-360.png'), fullPage: true });
  assert.deepEqual(await axeViolations(page), []);

  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (page is ${width} px wide)`);

  // The connection drops as the referral is sent: nothing is lost, and sending again creates one case only.
  await page.context().setOffline(true);
  await page.getByRole('button', { name: 'Send referral' }).click();
  await page.getByRole('heading', { name: 'We could not confirm that your referral was received' }).waitFor();
  await page.context().setOffline(false);
  // Worse: the referral reaches the service but the answer is lost on the way back.
  await page.route('**/api/v1/referrals', async (route) => {
    await route.fetch();
    await route.abort('connectionreset');
  }, { times: 1 });
  await page.getByRole('button', { name: 'Send referral' }).click();
  await page.getByRole('heading', { name: 'We could not confirm that your referral was received' }).waitFor();
  page.problems.length = 0; // the browser logs the failed requests; that was the point
  await page.getByRole('button', { name: 'Send referral' }).click();
  const panel = page.locator('.panel--confirmation');
  await panel.waitFor();
  const reference = (await panel.locator('.case-reference').textContent()).trim();
  assert.match(reference, /^KRSCP-\d{4}-\d{4}$/);
  await page.screenshot({ path: join(artifacts, 'referral-received-360.png'), fullPage: true });

  await page.getByRole('link', { name: 'Cases', exact: true }).click();
  const row = page.getByRole('row', { name: new RegExp(reference) });
  await row.waitFor();
  assert.equal(await page.getByRole('row', { name: /KRSCP-/ }).count(), 1, 'exactly one case from one referral');
  assert.match(await row.textContent(), /Kingston Hospital/);
  const html = await page.content();
  for (const personal of ['Zebedee', 'burns', '9434765919']) assert.ok(!html.includes(personal), `the case list shows ${personal}`);
  await page.screenshot({ path: join(artifacts, 'case-list-360.png'), fullPage: true });

  assert.deepEqual(page.problems, []);
});
