// The rapid review report: the team's write-up (sealed, read by permitted
// roles only), the agency table, and sign-off by the three safeguarding
// partners, withdrawn whenever the text changes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CHILD_NAME, validReferral } from '../support/referral.mjs';
import { call, errorBody, root, signIn, startWorker } from '../support/worker.mjs';

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
  const dump = execFileSync(join(root, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', worker.persist, '--json', '--command', 'SELECT * FROM rapid_review_reports'], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }).toString();
  assert.ok(!dump.includes(CHILD_NAME) && !dump.includes('Rarely seen'), 'the write-up is sealed at rest');
});

test('the three partners sign off; each only for their own; a change withdraws every sign-off', async () => {
  let report = (await api('GET', '/rapid-review-report')).body;
  const sign = (partner, who, version = report.version) => api('POST', '/rapid-review-report/sign-off', { partner, version }, who);
  assert.deepEqual(errorBody(assert, await sign('police', as.dm), 400, 'validation_failed').fields.map((f) => f.field), ['partner']);
  // The partnership team writes the report but signs nothing: signing is the partners'.
  errorBody(assert, await sign('police', as.team), 403, 'forbidden');
  errorBody(assert, await sign('health', as.lead), 403, 'forbidden');
  errorBody(assert, await sign('health', as.slg, 99), 409, 'conflict');
  assert.equal((await sign('local_authority', as.dm)).status, 200);
  assert.equal((await sign('health', as.slg)).status, 200);
  report = (await sign('police', as.slg)).body;
  assert.equal(report.signed_by_all_partners, true);
  assert.deepEqual(report.signoffs.map((s) => [s.partner, s.name]), [['local_authority', 'Dana Decision-Maker'], ['police', 'Lee Leadership'], ['health', 'Lee Leadership']]);
  report = (await api('PUT', '/rapid-review-report', { version: report.version, write_up: { summary_and_context: 'Changed after sign-off' } })).body;
  assert.equal(report.signed_by_all_partners, false);
  assert.ok(report.signoffs.every((s) => s.signed_at === null), 'partners sign what they read: a change withdraws their sign-off');
  assert.equal(report.decision, null, 'no outcome recorded yet');
});
