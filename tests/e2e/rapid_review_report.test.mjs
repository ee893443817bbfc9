// A rapid review to submission: the team writes up the report on the
// template, the three partners sign it off in their own browsers, and it
// prints as the document to send to the national panel.
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
  const team = await signIn(worker.base, 'partnership_team');
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: await signIn(worker.base, 'referrer') })).body.reference;
  const post = async (path, json) => {
    const res = await call(worker.base, 'POST', `/api/v1/cases/${reference}/${path}`, { json, headers: team });
    assert.ok(res.status < 300, `${path}: ${JSON.stringify(res.body)}`);
  };
  await post('information-requests', { agency_id: 'demo-krscp-met-police', kind: 'chronology' });
  await post('meetings', { kind: 'rapid_review', on: new Date().toISOString().slice(0, 10), time: '00:00', location: 'Guildhall, Kingston',
    attendees: [{ agency_id: 'demo-krscp-met-police', name: 'DCI Grey', role_title: 'DCI', decision_maker: true }] });
  await post('decisions/rapid-review', { option: 'lcspr', rationale: 'Learning about information sharing across agencies', equality_and_racism: 'Language barriers delayed access to services',
    key_lines_of_enquiry: ['Information sharing', 'Voice of the child'], findings: { improvements_needed: true, additional_learning: true } });
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

test('written up, signed off by the three partners, printed', async () => {
  const team = await newPage(browser);
  await signInThroughPage(team, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, `/cases/${reference}`);
  await team.getByRole('link', { name: 'Rapid review report', exact: true }).click();
  await team.getByRole('heading', { name: 'Rapid Review Report' }).waitFor();
  assert.match(await team.locator('table').filter({ hasText: 'Represented at rapid review' }).textContent(), /Metropolitan Police Service\s*No\s*Yes/);
  await team.getByLabel('Summary of serious incident and relevant context').fill('Admitted with an unexplained injury; police investigating.');
  await team.getByLabel("The child's lived experience and how their voice can be heard in the review").fill('Rarely seen alone by professionals.');
  await team.getByLabel('What are the issues and learning identifiable?').fill('Information sharing between police and health visiting.');
  await team.getByLabel('Is there any learning identified by this rapid review and how will it be shared?').fill('Seven-minute briefing to all agencies.');
  await team.getByRole('group', { name: 'Is a national child safeguarding practice review recommended?' }).getByLabel('No', { exact: true }).check();
  assert.deepEqual(await axeViolations(team), []);
  await team.getByRole('button', { name: 'Save the report' }).click();
  await team.getByText(/Last saved .* version 1\./).waitFor();
  assert.match(await team.locator('article.report').textContent(), /Rarely seen alone by professionals\..*Local child safeguarding practice review.*Information sharing; Voice of the child/s);
  assert.equal(await team.getByRole('button', { name: /^Sign off/ }).count(), 0, 'the team writes; the partners sign');
  assert.deepEqual(team.problems, []);

  // Each partner's decision maker signs their own partner's line, and only that one.
  const dm = await newPage(browser);
  await signInThroughPage(dm, worker.base, demoEmail('decision_maker'), DEMO_PASSWORD, `/cases/${reference}/rapid-review-report`);
  await dm.getByRole('button', { name: 'Sign off for Local authority' }).waitFor();
  assert.equal(await dm.getByRole('button', { name: /^Sign off/ }).count(), 1, 'one button: their own partner');
  await dm.getByRole('button', { name: 'Sign off for Local authority' }).click();
  await dm.getByRole('row', { name: /Local authority\s*Dana Decision-Maker/ }).waitFor();
  assert.deepEqual(dm.problems, []);
  const slg = await newPage(browser);
  await signInThroughPage(slg, worker.base, demoEmail('strategic_leadership'), DEMO_PASSWORD, `/cases/${reference}/rapid-review-report`);
  await slg.getByRole('row', { name: /Local authority\s*Dana Decision-Maker/ }).waitFor();
  assert.equal(await slg.getByRole('button', { name: /^Sign off/ }).count(), 0, 'leadership signs for no partner');
  for (const [role, partner, name] of [['decision_maker_police', 'Police', 'Pat Police-Partner'], ['decision_maker_health', 'Health (integrated care board)', 'Hari Health-Partner']]) {
    const page = await newPage(browser);
    await signInThroughPage(page, worker.base, demoEmail(role), DEMO_PASSWORD, `/cases/${reference}/rapid-review-report`);
    await page.getByRole('button', { name: `Sign off for ${partner}` }).click();
    await page.getByRole('row', { name: new RegExp(`${partner.replace(/[()]/g, '\\$&')}\\s*${name}`) }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  await slg.reload();
  await slg.getByText('Signed off by the three safeguarding partners: ready to submit to the national panel.').waitFor();
  assert.deepEqual(await axeViolations(slg), []);
  assert.deepEqual(slg.problems, []);

  // Printed, the page is the document alone.
  await team.reload();
  await team.getByText('Signed off by the three safeguarding partners').waitFor();
  await team.emulateMedia({ media: 'print' });
  assert.equal(await team.getByRole('button', { name: 'Save the report' }).isVisible(), false);
  assert.equal(await team.getByRole('heading', { name: 'Rapid Review Report' }).isVisible(), true);
  await team.screenshot({ path: join(artifacts, 'rapid-review-report-print.png'), fullPage: true });
  await team.pdf?.({ path: join(artifacts, 'rapid-review-report.pdf') }).catch(() => {});

  // The server-made print view: its stylesheet is allowed by hash, so it applies.
  await team.emulateMedia({ media: 'screen' });
  await team.goto(`${worker.base}/cases/${reference}`);
  const [doc] = await Promise.all([team.context().waitForEvent('page'), team.getByRole('link', { name: 'print view of the rapid review report' }).click()]);
  await doc.waitForLoadState();
  assert.equal(await doc.locator('h1').textContent(), 'Rapid Review Report');
  assert.equal(await doc.locator('th').first().evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(243, 242, 241)', 'the stylesheet applied under the CSP');
  assert.deepEqual(team.problems, []);
});
