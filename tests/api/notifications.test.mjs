// Messages: the right people are told of each event, every message is logged
// on the case, and no message carries personal data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PERSONAL_STRINGS, validReferral } from '../support/referral.mjs';
import { call, signIn, startWorker } from '../support/worker.mjs';

let worker;
let team;
let reference;
before(async () => {
  worker = await startWorker();
  team = await signIn(worker.base, 'partnership_team');
  const referrer = await signIn(worker.base, 'referrer');
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral({ incident_date: '2026-11-02', aware_on: '2026-11-03' }), headers: referrer })).body.reference;
});
after(async () => { await worker?.stop(); });

const mailbox = async () => (await call(worker.base, 'GET', '/api/v1/dev/mailbox')).body.messages;

test('a new referral tells the partnership team, with the reference, the due date and a sign-in link', async () => {
  const messages = (await mailbox()).filter((m) => m.template === 'new_referral');
  assert.deepEqual(messages.map((m) => m.recipient), ['team@krscp.demo']);
  assert.equal(messages[0].subject, `New serious incident referral ${reference}`);
  assert.match(messages[0].body, /due by Tuesday 10 November 2026/);
  assert.match(messages[0].body, new RegExp(`http://127\\.0\\.0\\.1:\\d+/cases/${reference}`));
});

test('a decision to notify tells the partnership manager and the strategic leadership the same day', async () => {
  const answers = { outcome: 'seriously_harmed', abuse_or_neglect: 'known', location: 'in_area', age_years: 4, looked_after: false };
  const res = await call(worker.base, 'POST', `/api/v1/cases/${reference}/decisions/threshold`, { json: { answers, outcome: 'notify' }, headers: team });
  assert.equal(res.status, 201);
  const messages = (await mailbox()).filter((m) => m.template === 'decision_to_notify');
  assert.deepEqual(messages.map((m) => m.recipient).sort(), ['manager@krscp.demo', 'slg@krscp.demo']);
  const log = await call(worker.base, 'GET', `/api/v1/cases/${reference}/notifications`, { headers: team });
  assert.deepEqual(log.body.notifications.map((n) => [n.template, n.status]).sort(), [
    ['decision_to_notify', 'sent'], ['decision_to_notify', 'sent'], ['new_referral', 'sent'],
  ]);
});

test('messages go only to the partnership of the case, and carry no personal data', async () => {
  const llr = await signIn(worker.base, 'referrer', 'llr');
  await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: llr });
  const messages = await mailbox();
  assert.ok(messages.some((m) => m.recipient === 'team@llr.demo'));
  assert.ok(!messages.some((m) => m.recipient.endsWith('krscp.demo') && m.subject.includes('LLR-')));
  const everything = JSON.stringify(messages);
  for (const personal of PERSONAL_STRINGS) assert.ok(!everything.includes(personal), `a message contains ${personal}`);
});

test('the scheduled run reminds once per change of state, not on every run', async () => {
  const runs = async () => {
    const res = await fetch(`${worker.base}/__scheduled?cron=0+7+*+*+*`);
    assert.equal(res.status, 200);
  };
  await runs();
  await runs();
  const overdue = (await mailbox()).filter((m) => m.template === 'deadline_overdue' && m.subject.includes(reference));
  // The notification to the panel (due 10 November 2026) is overdue: one reminder, to the partnership team.
  const notify = overdue.filter((m) => m.subject.startsWith('Overdue: Notify the national panel'));
  assert.deepEqual(notify.map((m) => m.recipient), ['team@krscp.demo']);
  const everything = JSON.stringify(overdue);
  for (const personal of PERSONAL_STRINGS) assert.ok(!everything.includes(personal));
});
