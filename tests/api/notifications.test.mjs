// Messages: the right people are told of each event, every message is logged
// on the case, and no message carries personal data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PERSONAL_STRINGS, validReferral } from '../support/referral.mjs';
import { call, errorBody, signIn, startWorker } from '../support/worker.mjs';

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

const mailbox = async () => (await call(worker.base, 'GET', '/api/v1/dev/mailbox', { headers: team })).body.messages;

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

test('an information request tells that agency\'s safeguarding lead, and no other, what is needed and by when', async () => {
  const res = await call(worker.base, 'POST', `/api/v1/cases/${reference}/information-requests`, { json: { agency_id: 'demo-krscp-met-police', kind: 'chronology' }, headers: team });
  assert.equal(res.status, 201);
  const due = res.body.requests[0].due_on;
  const messages = (await mailbox()).filter((m) => m.template === 'information_request');
  assert.deepEqual(messages.map((m) => m.recipient), ['safeguarding@met-police.demo']);
  assert.match(messages[0].body, /Your agency is asked to: return your agency's chronology/);
  const longDue = new Date(`${due}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).replace(',', '');
  assert.ok(messages[0].body.includes(`by ${longDue}`), `${messages[0].body} / ${longDue}`);
});

test('papers ready go to the meeting\'s invitees; a submitted rapid review to the manager and leadership', async () => {
  const inDays = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const booked = await call(worker.base, 'POST', `/api/v1/cases/${reference}/meetings`, { json: {
    kind: 'rapid_review', on: inDays(7), time: '10:00',
    attendees: [
      { agency_id: 'demo-krscp-met-police', name: 'DCI Grey', role_title: 'DCI', decision_maker: true, email: 'dci.grey@met-police.demo' },
      { name: 'Independent chair', role_title: 'Chair', email: 'chair@krscp.demo' },
      { name: 'No address given', role_title: 'Observer' },
    ],
  }, headers: team });
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  assert.equal((await call(worker.base, 'POST', `/api/v1/cases/${reference}/events`, { json: { kind: 'papers_sent', on: inDays(0) }, headers: team })).status, 201);
  const papers = (await mailbox()).filter((m) => m.template === 'papers_ready');
  assert.deepEqual(papers.map((m) => m.recipient).sort(), ['chair@krscp.demo', 'dci.grey@met-police.demo']);
  assert.equal((await call(worker.base, 'POST', `/api/v1/cases/${reference}/events`, { json: { kind: 'rapid_review_submitted', on: inDays(0) }, headers: team })).status, 201);
  const submitted = (await mailbox()).filter((m) => m.template === 'rapid_review_submitted');
  assert.deepEqual(submitted.map((m) => m.recipient).sort(), ['manager@krscp.demo', 'slg@krscp.demo']);
});

test('the publication notice goes to the national panel, Ofsted and DfE with the planned date', async () => {
  const inDays = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  assert.equal((await call(worker.base, 'POST', `/api/v1/cases/${reference}/decisions/rapid-review`, { json: {
    option: 'lcspr', rationale: 'Learning about information sharing across agencies', equality_and_racism: 'Considered: no effect found',
    key_lines_of_enquiry: ['Information sharing'], findings: { improvements_needed: true },
  }, headers: team })).status, 201);
  const review = (await call(worker.base, 'GET', `/api/v1/cases/${reference}/review`, { headers: team })).body;
  const planned = inDays(60);
  assert.equal((await call(worker.base, 'PUT', `/api/v1/cases/${reference}/review`, { json: { version: review.version, pseudonym: 'Child N', planned_publication_on: planned }, headers: team })).status, 200);
  assert.equal((await call(worker.base, 'POST', `/api/v1/cases/${reference}/events`, { json: { kind: 'report_sent_to_panel', on: inDays(0) }, headers: team })).status, 201);
  const notices = (await mailbox()).filter((m) => m.template === 'publication_notice');
  assert.deepEqual(notices.map((m) => m.recipient).sort(), ['dfe@dfe.demo', 'ofsted@ofsted.demo', 'panel@panel.demo']);
  const longPlanned = new Date(`${planned}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  assert.ok(notices[0].body.includes(longPlanned), notices[0].body);
  const log = (await call(worker.base, 'GET', `/api/v1/cases/${reference}/notifications`, { headers: team })).body.notifications;
  assert.equal(log.filter((n) => n.template === 'publication_notice').length, 3, 'every message is logged on the case');
});

test('messages go only to the partnership of the case, and carry no personal data', async () => {
  const llr = await signIn(worker.base, 'referrer', 'llr');
  await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: llr });
  const theirs = (await call(worker.base, 'GET', '/api/v1/dev/mailbox', { headers: await signIn(worker.base, 'partnership_team', 'llr') })).body.messages;
  assert.ok(theirs.some((m) => m.recipient === 'team@llr.demo'));
  const ours = await mailbox();
  assert.ok(!ours.some((m) => m.subject.includes('LLR-')), 'none of the LLR referral reaches KRSCP');
  const everything = JSON.stringify([...ours, ...theirs]);
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

test('the dev mailbox is for the partnership team, and shows its own partnership only', async () => {
  const path = '/api/v1/dev/mailbox';
  errorBody(assert, await call(worker.base, 'GET', path), 401, 'unauthenticated');
  errorBody(assert, await call(worker.base, 'GET', path, { headers: await signIn(worker.base, 'referrer') }), 403, 'forbidden');
  const other = await call(worker.base, 'GET', path, { headers: await signIn(worker.base, 'partnership_team', 'llr') });
  assert.equal(other.status, 200);
  assert.ok(!JSON.stringify(other.body).includes(reference), "another partnership's team reads none of this partnership's messages");
  assert.ok((await mailbox()).some((m) => m.subject.includes(reference)));
});
