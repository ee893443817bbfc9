// Deadlines you can trust: steps apply by the case's route, windows are one
// step, closing a case closes its steps, referrals entered on an agency's
// behalf count from the day they arrived, and the partnership's own rules
// (playbook, closure days, bank holidays) apply to every case, old and new.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { call, errorBody, root, signIn, startWorker } from '../support/worker.mjs';

let worker;
let team;
let llrTeam;
before(async () => {
  worker = await startWorker();
  team = await signIn(worker.base, 'partnership_team');
  llrTeam = await signIn(worker.base, 'partnership_team', 'llr');
});
after(async () => { await worker?.stop(); });

const api = (method, path, json, who = team) => call(worker.base, method, `/api/v1${path}`, { json, headers: who });
const ok = async (method, path, json, who = team) => {
  const res = await api(method, path, json, who);
  assert.ok(res.status >= 200 && res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const d1 = (sql) => JSON.parse(execFileSync(join(root, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', worker.persist, '--json', '--command', sql], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }).toString())[0].results;
const timeline = (reference, who = team) => ok('GET', `/cases/${reference}/timeline`, undefined, who);
const step = (t, key) => t.deadlines.find((d) => d.step_key === key);
const event = (reference, kind, on, who = team) => ok('POST', `/cases/${reference}/events`, { kind, on }, who);
/** A referral the partnership team entered from an email, received on `on`. */
const emailed = async (on, who = team, overrides = {}) => (await ok('POST', '/referrals', validReferral({ aware_on: on, incident_date: on, received_via: 'email', received_on: on, ...overrides }), who)).reference;
const serious = { outcome: 'seriously_harmed', abuse_or_neglect: 'suspected', location: 'in_area', age_years: 4, looked_after: false };
const notSerious = { ...serious, abuse_or_neglect: 'not_suspected' };
const summary = async (reference, who = team) => (await ok('GET', `/cases?q=${reference}`, undefined, who)).cases.find((c) => c.reference === reference);
const today = new Date().toISOString().slice(0, 10);
const workingDays = async (n) => (await ok('GET', `/calendar/due?from=${today}&n=${Math.abs(n)}&unit=${n < 0 ? 'working_days_before' : 'working_days_after'}`)).due;

describe('a decision not to notify', () => {
  test('ends the duty to notify with its reason: not overdue, not on the matrix, not in anyone\'s work', async () => {
    const reference = (await ok('POST', '/referrals', validReferral({ aware_on: '2026-11-03' }), await signIn(worker.base, 'referrer'))).reference;
    assert.equal(step(await timeline(reference), 'notify_panel').status, 'overdue', 'undecided, the 5 working days ran out on 10 November');
    await ok('POST', `/cases/${reference}/decisions/threshold`, { answers: notSerious, outcome: 'not_notifiable', decided_on: '2026-11-05' });
    const notify = step(await timeline(reference), 'notify_panel');
    assert.deepEqual([notify.status, notify.not_applicable, notify.working_days_left], ['not_applicable', 'Not notifiable: decision of 5 November 2026', null]);
    const row = await summary(reference);
    assert.deepEqual([row.next_deadline, row.overdue], [null, 0]);
    const overdue = await ok('GET', '/cases?overdue=true');
    assert.ok(!overdue.cases.some((c) => c.reference === reference), 'not among the overdue cases');
    const work = await ok('GET', '/my-work');
    assert.ok(!work.deadlines.some((d) => d.reference === reference));
    const events = (await timeline(reference)).events.map((e) => [e.kind, e.on]);
    assert.deepEqual(events.find(([kind]) => kind === 'threshold_decided'), ['threshold_decided', '2026-11-05'], 'the decision is dated when it was made');
  });

  test('cannot be dated in the future or before the agency became aware', async () => {
    const reference = await emailed('2026-11-03');
    let error = errorBody(assert, await api('POST', `/cases/${reference}/decisions/threshold`, { answers: notSerious, outcome: 'not_notifiable', decided_on: '2999-01-01' }), 400, 'validation_failed');
    assert.deepEqual(error.fields.map((f) => f.field), ['decided_on']);
    error = errorBody(assert, await api('POST', `/cases/${reference}/decisions/threshold`, { answers: notSerious, outcome: 'not_notifiable', decided_on: '2026-11-01' }), 400, 'validation_failed');
    assert.deepEqual(error.fields.map((f) => f.field), ['decided_on']);
  });
});

describe('LLR: windows and the two routes', () => {
  test('a meeting on working day 9 of "between 7 and 13" is on time; one row, early before the window', async () => {
    // Received Monday 2 November 2026: working day 7 is 11 November, working day 13 is 19 November.
    const reference = await emailed('2026-11-02', llrTeam);
    let t = await timeline(reference, llrTeam);
    let meeting = step(t, 'rapid_review_meeting');
    assert.deepEqual([meeting.earliest, meeting.due], ['2026-11-11', '2026-11-19'], 'LLR 4.4.2 counts from receiving the referral');
    assert.equal(step(t, 'discuss_referral'), undefined, 'the referral-without-notification route is not known yet');
    await ok('POST', `/cases/${reference}/decisions/threshold`, { answers: serious, outcome: 'notify', decided_on: '2026-11-04' }, llrTeam);
    await event(reference, 'notified', '2026-11-05', llrTeam);
    t = await event(reference, 'meeting_held', '2026-11-13', llrTeam);
    meeting = step(t, 'rapid_review_meeting');
    assert.deepEqual([meeting.status, meeting.done_on], ['met', '2026-11-13']);
    assert.equal(t.deadlines.filter((d) => d.step_key.startsWith('rapid_review_meeting')).length, 1);
    assert.equal(step(t, 'discuss_referral').status, 'not_applicable');
    assert.match(step(t, 'discuss_referral').not_applicable, /notified on 5 November 2026/);
    const held = t.events.find((e) => e.kind === 'meeting_held');
    t = await ok('POST', `/cases/${reference}/events`, { kind: 'meeting_held', on: '2026-11-10', corrects: held.id }, llrTeam);
    assert.equal(step(t, 'rapid_review_meeting').status, 'early', 'before the window: shown, not late');
  });

  test('a referral without notification runs the case review group\'s clocks, not the rapid review\'s', async () => {
    const reference = await emailed('2026-11-02', llrTeam);
    await ok('POST', `/cases/${reference}/decisions/threshold`, { answers: notSerious, outcome: 'not_notifiable', decided_on: '2026-11-03' }, llrTeam);
    const t = await timeline(reference, llrTeam);
    assert.deepEqual([step(t, 'discuss_referral').due, step(t, 'discuss_referral').not_applicable], ['2026-12-02', null]);
    assert.equal(step(t, 'decide_referral').due, '2027-01-02');
    for (const key of ['notify_panel', 'rapid_review_meeting', 'information_requests_sent']) {
      assert.equal(step(t, key).status, 'not_applicable', key);
    }
  });
});

describe('referrals entered on an agency\'s behalf', () => {
  test('count from the day they arrived; only the partnership team enters them', async () => {
    const referrer = await signIn(worker.base, 'referrer');
    const error = errorBody(assert, await api('POST', '/referrals', validReferral({ received_via: 'post', received_on: '2026-11-04' }), referrer), 400, 'validation_failed');
    assert.deepEqual(error.fields.map((f) => f.field), ['received_via']);
    const missing = errorBody(assert, await api('POST', '/referrals', validReferral({ received_via: 'phone' })), 400, 'validation_failed');
    assert.deepEqual(missing.fields.map((f) => f.field), ['received_on']);
    const reference = await emailed('2026-11-03', team, { received_via: 'post', received_on: '2026-11-04' });
    const t = await timeline(reference);
    assert.deepEqual(t.events.map((e) => [e.kind, e.on]), [['aware', '2026-11-03'], ['referral_received', '2026-11-04']]);
    assert.equal((await summary(reference)).received_at.slice(0, 10), '2026-11-04');
    assert.deepEqual(d1(`SELECT received_via FROM cases WHERE reference = '${reference}'`), [{ received_via: 'post' }]);
  });

  test('correcting the awareness date moves the deadlines and is audited', async () => {
    const reference = await emailed('2026-11-03');
    assert.equal(step(await timeline(reference), 'notify_panel').due, '2026-11-10');
    const t = await event(reference, 'aware', '2026-11-02');
    assert.equal(step(t, 'notify_panel').due, '2026-11-09');
    assert.equal((await summary(reference)).aware_on, '2026-11-02', 'the matrix reads the corrected date');
    const audit = d1(`SELECT action, detail FROM audit_log WHERE case_id = (SELECT id FROM cases WHERE reference = '${reference}') AND action = 'event_recorded'`);
    assert.deepEqual(audit, [{ action: 'event_recorded', detail: 'aware' }]);
  });
});

describe('closing and disagreeing', () => {
  test('closing a case closes every open step: nothing due on the matrix, nothing to remind', async () => {
    const reference = await emailed('2026-11-02');
    await ok('POST', `/cases/${reference}/decisions/threshold`, { answers: serious, outcome: 'notify', decided_on: '2026-11-03' });
    await event(reference, 'notified', '2026-11-04');
    const open = (await timeline(reference)).deadlines.filter((d) => ['overdue', 'due_soon', 'on_track'].includes(d.status));
    assert.ok(open.length >= 2, 'a notified KRSCP case has steps open');
    const t = await event(reference, 'closed', '2026-11-20');
    for (const d of t.deadlines) {
      assert.ok(['met', 'late', 'early', 'not_applicable'].includes(d.status), `${d.step_key} is ${d.status}`);
    }
    assert.equal(step(t, 'submit_rapid_review').not_applicable, 'Case closed on 20 November 2026');
    assert.equal(step(t, 'notify_panel').status, 'met', 'what was done keeps its record');
    const row = await summary(reference);
    assert.deepEqual([row.stage, row.next_deadline, row.overdue], ['closed', null, 0]);
    const before = d1(`SELECT count(*) AS n FROM notifications WHERE case_id = (SELECT id FROM cases WHERE reference = '${reference}')`)[0].n;
    await (await fetch(`${worker.base}/__scheduled?cron=0+7+*+*+*`)).text();
    const afterRun = d1(`SELECT count(*) AS n FROM notifications WHERE case_id = (SELECT id FROM cases WHERE reference = '${reference}')`)[0].n;
    assert.equal(afterRun, before, 'no reminder for a closed case');
  });

  test('a disagreement about notifying is its own event and step: deciding does not escalate it', async () => {
    const reference = await emailed('2026-11-02');
    let t = await event(reference, 'threshold_disputed', '2026-11-03');
    assert.deepEqual([step(t, 'escalate_disagreement').due, step(t, 'escalate_disagreement').done_on], ['2026-11-10', null]);
    await ok('POST', `/cases/${reference}/decisions/threshold`, { answers: serious, outcome: 'notify', decided_on: '2026-11-04' });
    t = await timeline(reference);
    assert.equal(step(t, 'escalate_disagreement').done_on, null, 'the threshold decision is not the escalation');
    t = await event(reference, 'escalated_to_leadership', '2026-11-06');
    assert.deepEqual([step(t, 'escalate_disagreement').status, step(t, 'escalate_disagreement').done_on], ['met', '2026-11-06']);
    t = await event(reference, 'escalated_to_scrutineer', '2026-11-09');
    assert.ok(t.events.some((e) => e.kind === 'escalated_to_scrutineer'));
  });

  test('a meeting booked on a day that is not a working day is booked, with a warning', async () => {
    const reference = await emailed('2026-11-02');
    let sunday = new Date(Date.now() + 7 * 86_400_000);
    while (sunday.getUTCDay() !== 0) sunday = new Date(sunday.getTime() + 86_400_000);
    const on = sunday.toISOString().slice(0, 10);
    const meeting = await ok('POST', `/cases/${reference}/meetings`, { kind: 'rapid_review', on, time: '10:00', attendees: [{ agency_id: 'demo-krscp-met-police', name: 'DCI Grey', role_title: 'DCI', decision_maker: true }] });
    assert.equal(meeting.warnings.length, 1);
    assert.match(meeting.warnings[0], /^The meeting is on Sunday .* which is a weekend, not a working day$/);
  });
});

describe('the partnership\'s rules apply to every case', () => {
  test('closure days: the matrix judges "due soon" as the case page does', async () => {
    const closures = [await workingDays(1), await workingDays(2)];
    const settings = await ok('GET', '/partnership');
    await ok('PUT', '/partnership/closure-days', { version: settings.version, days: [...settings.closure_days, ...closures] });
    const reference = await emailed(await workingDays(-3));
    const notify = step(await timeline(reference), 'notify_panel');
    const row = await summary(reference);
    assert.equal(row.next_deadline.due, notify.due);
    assert.equal(row.next_deadline.status, notify.status);
    const restored = await ok('GET', '/partnership');
    await ok('PUT', '/partnership/closure-days', { version: restored.version, days: settings.closure_days });
  });

  test('a newer gov.uk bank holidays file is checked, audited, and makes its years official', async () => {
    const file = { 'england-and-wales': { division: 'england-and-wales', events: [
      { title: 'New Year’s Day', date: '2029-01-01', notes: '', bunting: true },
      { title: 'A one-off holiday', date: '2029-06-01', notes: '', bunting: true },
      { title: 'Christmas Day', date: '2029-12-25', notes: '', bunting: true },
    ] } };
    const settings = await ok('GET', '/partnership');
    assert.deepEqual(settings.bank_holidays, { official_from: 2018, official_to: 2028, projected_from: 2029, loaded_at: null });
    errorBody(assert, await api('PUT', '/partnership/bank-holidays', { version: settings.version, file }, await signIn(worker.base, 'decision_maker')), 403, 'forbidden');
    let error = errorBody(assert, await api('PUT', '/partnership/bank-holidays', { version: settings.version, file: { scotland: {} } }), 400, 'validation_failed');
    assert.deepEqual(error.fields.map((f) => f.field), ['file']);
    error = errorBody(assert, await api('PUT', '/partnership/bank-holidays', { version: settings.version, file: { 'england-and-wales': { events: [{ date: '2031-01-01' }] } } }), 400, 'validation_failed');
    assert.match(error.fields[0].message, /2029/, 'a gap between the years is named');
    const loaded = await ok('PUT', '/partnership/bank-holidays', { version: settings.version, file });
    assert.deepEqual([loaded.bank_holidays.official_to, loaded.bank_holidays.projected_from], [2029, 2030]);
    errorBody(assert, await api('PUT', '/partnership/bank-holidays', { version: settings.version, file }), 409, 'conflict');
    assert.equal(d1("SELECT count(*) AS n FROM audit_log WHERE action = 'bank_holidays_loaded'")[0].n, 1);
    // Another partnership keeps the shipped calendar.
    assert.equal((await ok('GET', '/partnership', undefined, llrTeam)).bank_holidays.official_to, 2028);
  });

  test('changing the playbook recomputes open steps of existing cases; a custom playbook keeps its threshold rules', async () => {
    const reference = await emailed('2026-11-02');
    await ok('POST', `/cases/${reference}/decisions/threshold`, { answers: serious, outcome: 'notify', decided_on: '2026-11-03' });
    await event(reference, 'notified', '2026-11-04');
    let t = await timeline(reference);
    assert.equal(step(t, 'rapid_review_meeting').due, '2026-11-18', 'KRSCP: 10 working days from the notification');
    const met = step(t, 'notify_panel');
    // The partnership's own copy of Kent's playbook, under its own id.
    const settings = await ok('GET', '/partnership');
    const preset = await ok('PUT', '/partnership/playbook', { version: settings.version, preset: 'kent' });
    const custom = { ...preset.playbook, id: 'krscp-own-kent', name: 'Our copy of Kent' };
    await ok('PUT', '/partnership/playbook', { version: preset.version, playbook: custom });
    t = await timeline(reference);
    assert.equal(step(t, 'rapid_review_meeting').due, '2026-11-25', 'Kent: 15 working days from the notification');
    assert.deepEqual([step(t, 'notify_panel').done_on, step(t, 'notify_panel').due], [met.done_on, met.due], 'a met step keeps its dates');
    const recomputed = d1(`SELECT count(*) AS n FROM audit_log WHERE action = 'deadlines_recomputed' AND case_id = (SELECT id FROM cases WHERE reference = '${reference}')`)[0].n;
    assert.ok(recomputed >= 2, 'each recomputation is audited');

    // The copy's threshold options are its own: a child placed by another authority invites it to notify.
    const placed = await emailed(today);
    const res = await ok('POST', `/cases/${placed}/decisions/threshold`, { answers: { ...serious, placed_by_other_authority: true }, outcome: 'placing_authority_invited' });
    assert.deepEqual([res.engine.outcome, res.overrides_engine], ['placing_authority_invited', false]);
    t = await timeline(placed);
    assert.ok(['on_track', 'due_soon'].includes(step(t, 'placing_authority_confirms').status), 'the 24 hours run from the invitation');
    const notPlaced = await emailed(today);
    await ok('POST', `/cases/${notPlaced}/decisions/threshold`, { answers: serious, outcome: 'notify' });
    assert.equal(step(await timeline(notPlaced), 'placing_authority_confirms').status, 'not_applicable', 'Kent\'s 24 hours apply only to a placed child');
  });
});
