// A case's timeline: events recorded and corrected move the deadlines of the
// partnership's playbook (KRSCP in the demo); decisions and extensions are kept.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { call, errorBody, signIn, startWorker } from '../support/worker.mjs';

let worker;
let team;
let referrer;
let reference;
before(async () => {
  worker = await startWorker();
  team = await signIn(worker.base, 'partnership_team');
  referrer = await signIn(worker.base, 'referrer');
  const res = await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral({ incident_date: '2026-11-02', aware_on: '2026-11-03' }), headers: referrer });
  reference = res.body.reference;
});
after(async () => { await worker?.stop(); });

const timeline = async () => (await call(worker.base, 'GET', `/api/v1/cases/${reference}/timeline`, { headers: team })).body;
const deadline = (t, key) => t.deadlines.find((d) => d.step_key === key);
const record = (json, as = team) => call(worker.base, 'POST', `/api/v1/cases/${reference}/events`, { json, headers: as });

test('the referral starts the clock: notify the panel within 5 working days of awareness', async () => {
  const t = await timeline();
  assert.deepEqual(t.events.map((e) => e.kind), ['aware', 'referral_received']);
  assert.equal(deadline(t, 'notify_panel').due, '2026-11-10');
  assert.equal(deadline(t, 'notify_panel').statutory, true);
  assert.equal(deadline(t, 'submit_rapid_review'), undefined, 'no rapid review clock before the notification');
});

test('the threshold decision records the engine, the people and the rationale', async () => {
  const answers = { outcome: 'seriously_harmed', abuse_or_neglect: 'suspected', location: 'in_area', age_years: 4, looked_after: false };
  let error = errorBody(assert, await call(worker.base, 'POST', `/api/v1/cases/${reference}/decisions/threshold`, { json: { answers, outcome: 'not_notifiable' }, headers: team }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['rationale'], 'overriding the engine needs a rationale');
  errorBody(assert, await call(worker.base, 'POST', `/api/v1/cases/${reference}/decisions/threshold`, { json: { answers, outcome: 'notify' }, headers: referrer }), 403, 'forbidden');
  const res = await call(worker.base, 'POST', `/api/v1/cases/${reference}/decisions/threshold`, { json: { answers, outcome: 'notify' }, headers: await signIn(worker.base, 'decision_maker') });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.engine.outcome, 'notify');
  assert.equal(res.body.engine.due, '2026-11-10');
  assert.equal(res.body.overrides_engine, false);
  const t = await timeline();
  assert.equal(t.stage, 'threshold_decided');
  assert.equal(deadline(t, 'inform_partnership_manager'), undefined, 'KRSCP: told the same day as the notification, not the decision');
});

test('recording the notification completes its deadline and starts the rapid review clock', async () => {
  const res = await record({ kind: 'notified', on: '2026-11-09' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const t = res.body;
  assert.equal(t.stage, 'notified');
  assert.equal(deadline(t, 'notify_panel').done_on, '2026-11-09');
  assert.equal(deadline(t, 'notify_panel').status, 'met');
  assert.equal(deadline(t, 'submit_rapid_review').due, '2026-11-30');
  assert.equal(deadline(t, 'rapid_review_meeting').due, '2026-11-23');
  assert.equal(deadline(t, 'inform_partnership_manager').due, '2026-11-09', 'KRSCP: the partnership manager is told the same day');
});

test('correcting the notification date moves its deadlines; the old event stays, marked superseded', async () => {
  const notified = (await timeline()).events.find((e) => e.kind === 'notified');
  const res = await record({ kind: 'notified', on: '2026-11-10', corrects: notified.id, note: 'Date corrected from the panel acknowledgement' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const t = res.body;
  assert.equal(deadline(t, 'submit_rapid_review').due, '2026-12-01');
  assert.equal(deadline(t, 'rapid_review_meeting').due, '2026-11-24');
  const kinds = t.events.filter((e) => e.kind === 'notified').map((e) => [e.on, e.superseded]);
  assert.deepEqual(kinds, [['2026-11-09', true], ['2026-11-10', false]]);
  assert.equal(t.events.find((e) => e.on === '2026-11-10' && e.kind === 'notified').note, 'Date corrected from the panel acknowledgement');
});

test('an extension keeps the original date; a stale extension is a conflict', async () => {
  const { version } = deadline(await timeline(), 'submit_rapid_review');
  const path = `/api/v1/cases/${reference}/deadlines/submit_rapid_review/extension`;
  const res = await call(worker.base, 'POST', path, { json: { due: '2026-12-08', reason: 'Police information pending', version }, headers: team });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const d = deadline(res.body, 'submit_rapid_review');
  assert.deepEqual([d.original_due, d.due, d.extension_reason], ['2026-12-01', '2026-12-08', 'Police information pending']);
  errorBody(assert, await call(worker.base, 'POST', path, { json: { due: '2026-12-15', reason: 'Still pending', version }, headers: team }), 409, 'conflict');
  const error = errorBody(assert, await call(worker.base, 'POST', path, { json: { due: '2026-12-01', reason: '', version: version + 1 }, headers: team }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['due', 'reason']);
  errorBody(assert, await call(worker.base, 'POST', `/api/v1/cases/${reference}/deadlines/no_such_step/extension`, { json: { due: '2027-01-01', reason: 'x', version: 1 }, headers: team }), 404, 'not_found');
});

test('bad events are named; only the partnership team records them', async () => {
  let error = errorBody(assert, await record({ kind: 'party', on: '2026-11-10' }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['kind']);
  error = errorBody(assert, await record({ kind: 'notified', on: '2999-01-01' }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['on']);
  error = errorBody(assert, await record({ kind: 'notified', on: '2026-11-10', corrects: 'not-an-event' }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['corrects']);
  errorBody(assert, await record({ kind: 'notified', on: '2026-11-10' }, referrer), 403, 'forbidden');
  errorBody(assert, await record({ kind: 'notified', on: '2026-11-10' }, await signIn(worker.base, 'partnership_team', 'llr')), 404, 'not_found');
});

test('the rapid review outcome: a rationale always, lines of enquiry for an LCSPR, and the 6-month clock', async () => {
  const path = `/api/v1/cases/${reference}/decisions/rapid-review`;
  let error = errorBody(assert, await call(worker.base, 'POST', path, { json: { option: 'lcspr' }, headers: team }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['rationale', 'equality_and_racism', 'key_lines_of_enquiry']);
  errorBody(assert, await call(worker.base, 'POST', path, { json: { option: 'lcspr' }, headers: referrer }), 403, 'forbidden');
  const res = await call(worker.base, 'POST', path, { json: {
    option: 'lcspr',
    rationale: 'Multi-agency learning about information sharing across borough borders',
    equality_and_racism: 'Language barriers delayed the family\'s access to services',
    key_lines_of_enquiry: ['Information sharing', 'Risk assessment', 'Voice of the child', 'Housing', 'Health visiting'],
    findings: { improvements_needed: true, agencies_working_together_concerns: true, additional_learning: true },
  }, headers: team });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.warnings.length, 1, 'five lines of enquiry: the panel advises no more than 3 or 4');
  const t = await timeline();
  assert.equal(t.stage, 'lcspr');
  const today = new Date().toISOString().slice(0, 10);
  const due = (await call(worker.base, 'GET', `/api/v1/calendar/due?from=${today}&n=6&unit=months`)).body.due;
  assert.equal(deadline(t, 'publish_lcspr').due, due);
  const summary = (await call(worker.base, 'GET', `/api/v1/cases/${reference}`, { headers: team })).body;
  assert.deepEqual([summary.outcome, summary.converted_to_review], ['lcspr', true]);
});
