// The rapid review report: the team's write-up (sealed, read by permitted
// roles only), the agency table, and sign-off by the three safeguarding
// partners, withdrawn whenever the text changes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CHILD_NAME, validReferral } from '../support/referral.mjs';
import { call, d1, errorBody, signIn, startWorker } from '../support/worker.mjs';

let worker;
let as;
let reference;
const today = () => new Date().toISOString().slice(0, 10);
const api = (method, path, json, who = as.team) => call(worker.base, method, `/api/v1/cases/${reference}${path}`, { json, headers: who });

before(async () => {
  worker = await startWorker();
  as = {
    team: await signIn(worker.base, 'partnership_team'),
    dm: await signIn(worker.base, 'decision_maker'), // Children's Social Care: the local authority partner
    police: await signIn(worker.base, 'decision_maker_police'), // the Met: the police partner
    health: await signIn(worker.base, 'decision_maker_health'), // the integrated care board: the health partner
    slg: await signIn(worker.base, 'strategic_leadership'),
    lead: await signIn(worker.base, 'agency_lead'),
  };
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: await signIn(worker.base, 'referrer') })).body.reference;
  await api('POST', '/information-requests', { agency_id: 'demo-krscp-met-police', kind: 'chronology' });
  await api('POST', '/information-requests', { agency_id: 'demo-krscp-gp', kind: 'chronology' });
  const request = (await api('GET', '/information-requests', undefined, as.lead)).body.requests[0];
  await call(worker.base, 'POST', `/api/v1/information-requests/${request.id}/return`, { json: { entries: [{ occurred_on: '2026-10-01', entry: 'Call-out' }] }, headers: as.lead });
  const meeting = await api('POST', '/meetings', { kind: 'rapid_review', on: today(), time: '00:00', attendees: [{ agency_id: 'demo-krscp-met-police', name: 'DCI Grey', role_title: 'DCI', decision_maker: true }] });
  assert.equal(meeting.status, 201);
});
after(async () => { await worker?.stop(); });

test('the write-up is versioned, sealed, and read only by roles that may read personal data', async () => {
  let report = (await api('GET', '/rapid-review-report')).body;
  assert.equal(report.version, 0);
  assert.deepEqual(report.agencies, [
    { agency: 'GP', submitted: false, represented: false },
    { agency: 'Metropolitan Police Service', submitted: true, represented: true },
  ]);
  const write_up = { summary_and_context: `${CHILD_NAME} was admitted with a skull fracture`, lived_experience: 'Rarely seen alone', issues_and_learning: 'Information sharing', learning_and_sharing: 'Briefing', national_review_recommended: false };
  errorBody(assert, await api('PUT', '/rapid-review-report', { version: 0, write_up }, as.dm), 403, 'forbidden');
  const fields = errorBody(assert, await api('PUT', '/rapid-review-report', { version: 0, write_up: { good_practice: 'x'.repeat(10_001) } }), 400, 'validation_failed').fields;
  assert.deepEqual(fields.map((f) => f.field), ['write_up.good_practice']);
  report = (await api('PUT', '/rapid-review-report', { version: 0, write_up })).body;
  assert.equal(report.version, 1);
  assert.deepEqual(report.missing, []);
  errorBody(assert, await api('PUT', '/rapid-review-report', { version: 0, write_up }), 409, 'conflict');
  assert.equal((await api('GET', '/rapid-review-report', undefined, as.slg)).body.write_up, null, 'leadership signs the decision, not the child\'s details');
  const dump = JSON.stringify(d1(worker, 'SELECT * FROM rapid_review_reports'));
  assert.ok(!dump.includes(CHILD_NAME) && !dump.includes('Rarely seen'), 'the write-up is sealed at rest');
});

test('the three partners sign off; each only for their own; a change withdraws every sign-off', async () => {
  let report = (await api('GET', '/rapid-review-report')).body;
  const sign = (partner, who, version = report.version) => api('POST', '/rapid-review-report/sign-off', { partner, version }, who);
  // A partner's decision maker signs for that partner alone.
  assert.deepEqual(errorBody(assert, await sign('police', as.dm), 400, 'validation_failed').fields.map((f) => f.field), ['partner']);
  assert.deepEqual(errorBody(assert, await sign('local_authority', as.health), 400, 'validation_failed').fields.map((f) => f.field), ['partner']);
  // The partnership team writes the report but signs nothing; leadership without a partner agency signs nothing either.
  errorBody(assert, await sign('police', as.team), 403, 'forbidden');
  errorBody(assert, await sign('health', as.lead), 403, 'forbidden');
  for (const partner of ['local_authority', 'police', 'health']) errorBody(assert, await sign(partner, as.slg), 403, 'forbidden');
  errorBody(assert, await sign('health', as.health, 99), 409, 'conflict');
  assert.equal((await sign('local_authority', as.dm)).status, 200);
  report = (await sign('health', as.health)).body;
  assert.equal(report.signed_by_all_partners, false, 'two of three is not signed off');
  report = (await sign('police', as.police)).body;
  assert.equal(report.signed_by_all_partners, true);
  assert.deepEqual(report.signoffs.map((s) => [s.partner, s.name]), [['local_authority', 'Dana Decision-Maker'], ['police', 'Pat Police-Partner'], ['health', 'Hari Health-Partner']]);
  report = (await api('PUT', '/rapid-review-report', { version: report.version, write_up: { summary_and_context: 'Changed after sign-off' } })).body;
  assert.equal(report.signed_by_all_partners, false);
  assert.ok(report.signoffs.every((s) => s.signed_at === null), 'partners sign what they read: a change withdraws their sign-off');
  assert.equal(report.decision, null, 'no outcome recorded yet');
});

test("a partner's sign-off waits in that partner's own work list only", async () => {
  const waiting = async (who) => (await call(worker.base, 'GET', '/api/v1/my-work', { headers: who })).body.awaiting_sign_off.map((c) => c.reference);
  assert.ok((await waiting(as.police)).includes(reference));
  assert.deepEqual(await waiting(as.slg), [], 'leadership signs no rapid review report');
  assert.deepEqual(await waiting(as.team), []);
  const version = (await api('GET', '/rapid-review-report')).body.version;
  assert.equal((await api('POST', '/rapid-review-report/sign-off', { partner: 'police', version }, as.police)).status, 200);
  assert.ok(!(await waiting(as.police)).includes(reference), 'signed: no longer waiting for the police');
  assert.ok((await waiting(as.health)).includes(reference), 'still waiting for health');
});
