// Meetings, the LCSPR and action plans: bad input named by field, stale
// versions refused with the current state, retries that never duplicate,
// sealed personal data at rest, and overdue actions found across cases.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CHILD_NAME, validReferral } from '../support/referral.mjs';
import { call, d1 as rows, errorBody, signIn, startWorker } from '../support/worker.mjs';

const POLICE = 'demo-krscp-met-police';
let worker;
let team;
let reference;
const inDays = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const api = (method, path, json, who = team, headers = {}) => call(worker.base, method, `/api/v1${path}`, { json, headers: { ...who, ...headers } });
const fields = (res) => errorBody(assert, res, 400, 'validation_failed').fields.map((f) => f.field);
/** What D1 holds at rest, as text to search. */
const d1 = (sql) => JSON.stringify(rows(worker, sql));

before(async () => {
  worker = await startWorker();
  team = await signIn(worker.base, 'partnership_team');
  reference = (await api('POST', '/referrals', validReferral(), await signIn(worker.base, 'referrer'))).body.reference;
});
after(async () => { await worker?.stop(); });

test('meetings: field errors, quorum, sealed notes, stale versions and concurrent retries', async () => {
  assert.deepEqual(fields(await api('POST', `/cases/${reference}/meetings`, { attendees: [{ name: 'A' }] })), ['kind', 'on', 'time', 'attendees[0].role_title']);
  assert.deepEqual(fields(await api('POST', `/cases/${reference}/meetings`, { kind: 'rapid_review', on: inDays(3), time: '10:00', attendees: [{ agency_id: 'test-llr-police', name: 'A', role_title: 'B' }] })), ['attendees[0].agency_id']);
  // Two identical submissions at once (a double tap on a slow phone): one meeting.
  const body = { kind: 'rapid_review', on: inDays(3), time: '10:00', attendees: [{ agency_id: POLICE, name: 'DCI Grey', role_title: 'DCI', decision_maker: true }] };
  const key = { 'Idempotency-Key': 'meeting-double-tap-1' };
  const [a, b] = await Promise.all([api('POST', `/cases/${reference}/meetings`, body, team, key), api('POST', `/cases/${reference}/meetings`, body, team, key)]);
  const statuses = [a.status, b.status].sort();
  assert.ok(statuses[0] === 201 && [201, 409].includes(statuses[1]), `statuses ${statuses}`);
  const retry = await api('POST', `/cases/${reference}/meetings`, body, team, key);
  assert.equal(retry.status, 201);
  const meetings = (await api('GET', `/cases/${reference}/meetings`)).body.meetings;
  assert.equal(meetings.length, 1, 'exactly one meeting for one key');
  assert.equal(retry.body.id, meetings[0].id);
  assert.equal(meetings[0].quorate, false);
  errorBody(assert, await api('POST', `/cases/${reference}/meetings`, body, team, { 'Idempotency-Key': 'x' }), 400, 'bad_header');
  const papers = (await api('GET', `/cases/${reference}/timeline`)).body.deadlines.find((d) => d.step_key === 'papers_out');
  assert.ok(papers, 'booking the rapid review meeting dates the papers');

  const meeting = meetings[0];
  assert.deepEqual(fields(await api('PUT', `/cases/${reference}/meetings/${meeting.id}`, { version: meeting.version, held: true, attendees: body.attendees })), ['held'], 'a future meeting cannot have been held');
  const saved = await api('PUT', `/cases/${reference}/meetings/${meeting.id}`, { version: meeting.version, notes: `Minutes naming ${CHILD_NAME}`, attendees: body.attendees });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(saved.body.notes, `Minutes naming ${CHILD_NAME}`);
  const stale = errorBody(assert, await api('PUT', `/cases/${reference}/meetings/${meeting.id}`, { version: meeting.version, attendees: [] }), 409, 'conflict');
  assert.equal(stale.current.version, meeting.version + 1, 'the conflict carries the current state');
  const leadership = (await api('GET', `/cases/${reference}/meetings`, undefined, await signIn(worker.base, 'strategic_leadership'))).body.meetings[0];
  assert.equal(leadership.notes, null);
  assert.equal(leadership.has_notes, true);
  assert.ok(!d1('SELECT * FROM meetings').includes(CHILD_NAME), 'meeting notes are sealed at rest');
  errorBody(assert, await api('PUT', `/cases/${reference}/meetings/no-such-meeting`, { version: 1 }), 404, 'not_found');
});

test('the LCSPR: only after the decision, versioned, checked, and its logs sealed', async () => {
  errorBody(assert, await api('GET', `/cases/${reference}/review`), 404, 'not_found');
  await api('POST', `/cases/${reference}/decisions/rapid-review`, {
    option: 'lcspr', rationale: 'Learning about information sharing across agencies', equality_and_racism: 'Considered: no effect found',
    key_lines_of_enquiry: ['Information sharing'], findings: { improvements_needed: true },
  });
  const review = (await api('GET', `/cases/${reference}/review`)).body;
  assert.equal(review.version, 1);
  assert.deepEqual(fields(await api('PUT', `/cases/${reference}/review`, {
    version: 1, pseudonym: '<b>', reviewer_name: 'Independent Ltd',
    terms_of_reference: { period_from: '2026-05-01', period_to: '2026-01-01' }, planned_publication_on: '2020-01-01',
  })), ['pseudonym', 'conflicts_declared', 'terms_of_reference.period_to', 'planned_publication_on']);
  assert.deepEqual(fields(await api('PUT', `/cases/${reference}/review`, { version: 1, reviewer_user_id: 'demo-krscp-user-team', conflicts_declared: true })), ['reviewer_user_id'], 'only a lead reviewer of this partnership');
  assert.deepEqual(fields(await api('PUT', `/cases/${reference}/review`, { version: 1, terms_of_reference: { agencies: ['test-llr-police'] } })), ['terms_of_reference.agencies']);
  const late = await api('PUT', `/cases/${reference}/review`, { version: 1, pseudonym: 'Child R', key_lines_of_enquiry: ['a', 'b', 'c', 'd', 'e'], planned_publication_on: inDays(250) });
  assert.equal(late.status, 200, JSON.stringify(late.body));
  assert.ok(late.body.warnings.some((w) => w.includes('6-month')), 'publication after the 6-month limit is flagged');
  assert.ok(late.body.warnings.some((w) => w.includes('3 or 4')));
  errorBody(assert, await api('PUT', `/cases/${reference}/review`, { version: 1 }), 409, 'conflict');
  // Planning again moves the notice step rather than adding a second one.
  await api('PUT', `/cases/${reference}/review`, { version: 2, pseudonym: 'Child R', planned_publication_on: inDays(100) });
  const planned = (await api('GET', `/cases/${reference}/timeline`)).body.events.filter((e) => e.kind === 'publication_planned' && !e.superseded);
  assert.equal(planned.length, 1);
  assert.equal(planned[0].on, inDays(100));

  assert.deepEqual(fields(await api('POST', `/cases/${reference}/review/family-engagement`, { occurred_on: inDays(0), kind: 'declined' })), ['entry']);
  assert.equal((await api('POST', `/cases/${reference}/review/family-engagement`, { occurred_on: inDays(0), kind: 'declined', entry: `${CHILD_NAME}'s father declined` })).status, 201);
  assert.equal((await api('POST', `/cases/${reference}/review/episodes`, { occurred_on: inDays(-30), title: `Visit to ${CHILD_NAME}`, analysis: 'Missed opportunity' })).status, 201);
  assert.equal((await api('GET', `/cases/${reference}/review/episodes`)).body.entries[0].title, `Visit to ${CHILD_NAME}`);
  const dump = d1('SELECT * FROM family_engagement; SELECT * FROM key_practice_episodes');
  assert.ok(!dump.includes(CHILD_NAME) && !dump.includes('father'), 'the family log and episodes are sealed at rest');
  const audit = d1("SELECT action FROM audit_log WHERE action IN ('family_engagement_added', 'episodes_read')");
  assert.ok(audit.includes('family_engagement_added') && audit.includes('episodes_read'), 'writes and reads are audited');
  assert.deepEqual(fields(await api('POST', `/cases/${reference}/review/drafts`, { label: '' })), ['label', 'received_on']);
});

test('action plans: SMART or refused, stale progress refused, overdue found across cases', async () => {
  assert.deepEqual(fields(await api('POST', `/cases/${reference}/recommendations`, { theme: 'weather' })), ['text', 'theme']);
  const rec = (await api('POST', `/cases/${reference}/recommendations`, { text: 'Improve information sharing' })).body;
  assert.deepEqual(fields(await api('POST', `/cases/${reference}/recommendations/${rec.id}/actions`, { description: 'Do it', due_on: '2020-01-01' })), ['description', 'measure', 'owner_agency_id', 'due_on']);
  assert.deepEqual(fields(await api('POST', `/cases/${reference}/recommendations/${rec.id}/actions`, { description: 'Audit twenty referrals', measure: 'All shared', owner_agency_id: 'test-llr-police', due_on: inDays(30) })), ['owner_agency_id']);
  errorBody(assert, await api('POST', `/cases/${reference}/recommendations/not-a-recommendation/actions`, {}), 404, 'not_found');
  const action = (await api('POST', `/cases/${reference}/recommendations/${rec.id}/actions`, { description: 'Audit twenty referrals', measure: 'All shared', owner_agency_id: POLICE, due_on: inDays(30) })).body;
  const first = await api('PATCH', `/actions/${action.id}`, { version: 1, status: 'in_progress' });
  assert.equal(first.status, 200);
  const stale = errorBody(assert, await api('PATCH', `/actions/${action.id}`, { version: 1, status: 'escalated' }), 409, 'conflict');
  assert.equal(stale.current.status, 'in_progress');
  assert.deepEqual(fields(await api('PATCH', `/actions/${action.id}`, { version: 2, status: 'done' })), ['status']);
  errorBody(assert, await api('GET', '/actions?status=done'), 400, 'validation_failed');
  assert.equal((await api('GET', '/actions?overdue=1')).body.total, 0);
  d1(`UPDATE actions SET due_on = '2020-01-01' WHERE id = '${action.id}'`);
  const overdue = (await api('GET', '/actions?overdue=1')).body;
  assert.deepEqual(overdue.actions.map((a) => [a.id, a.overdue, a.reference]), [[action.id, true, reference]]);
  assert.equal((await api('GET', `/cases/${reference}/recommendations`)).body.overdue_actions, 1);
  const other = await signIn(worker.base, 'partnership_team', 'llr');
  assert.equal((await api('GET', '/actions', undefined, other)).body.total, 0, 'another partnership never sees these actions');
  errorBody(assert, await api('PATCH', `/actions/${action.id}`, { version: 2, status: 'complete', evidence: 'x' }, other), 404, 'not_found');
});
