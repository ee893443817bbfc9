// Information requests to agencies, their returns, and the merged chronology.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { call, errorBody, root, signIn, startWorker } from '../support/worker.mjs';

let worker;
let team;
let lead; // Metropolitan Police Service
let reference;
const POLICE = 'demo-krscp-met-police';
const HOSPITAL = 'demo-krscp-kingston-hospital';
before(async () => {
  worker = await startWorker();
  team = await signIn(worker.base, 'partnership_team');
  lead = await signIn(worker.base, 'agency_lead');
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: await signIn(worker.base, 'referrer') })).body.reference;
});
after(async () => { await worker?.stop(); });

const ask = (json, as = team) => call(worker.base, 'POST', `/api/v1/cases/${reference}/information-requests`, { json, headers: as });

test('the team asks agencies for chronologies, due by the playbook (KRSCP: 5 working days)', async () => {
  errorBody(assert, await call(worker.base, 'GET', `/api/v1/cases/${reference}`, { headers: lead }), 404, 'not_found');
  const res = await ask({ agency_id: POLICE, kind: 'chronology' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await ask({ agency_id: HOSPITAL, kind: 'chronology' });
  const [hospital, police] = res.status === 201 ? (await call(worker.base, 'GET', `/api/v1/cases/${reference}/information-requests`, { headers: team })).body.requests : [];
  assert.deepEqual([hospital.agency, police.agency], ['Kingston Hospital', 'Metropolitan Police Service']);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(police.sent_on, today);
  const due = (await call(worker.base, 'GET', `/api/v1/calendar/due?from=${today}&n=5&unit=working_days_after`)).body.due;
  assert.equal(police.due_on, due);
  let error = errorBody(assert, await ask({ agency_id: POLICE, kind: 'chronology' }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['kind']);
  error = errorBody(assert, await ask({ agency_id: 'test-llr-police', kind: 'imr' }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['agency_id']);
  errorBody(assert, await ask({ agency_id: POLICE, kind: 'imr' }, await signIn(worker.base, 'decision_maker')), 403, 'forbidden');
  const t = (await call(worker.base, 'GET', `/api/v1/cases/${reference}/timeline`, { headers: team })).body;
  assert.equal(t.stage, 'rapid_review');
  assert.ok(t.deadlines.some((d) => d.step_key === 'chronologies_returned'));
});

test('an agency lead sees only their own agency\'s request, answers it, and the chronology merges in date order', async () => {
  assert.equal((await call(worker.base, 'GET', `/api/v1/cases/${reference}`, { headers: lead })).status, 200, 'the request makes the case visible to the lead');
  const mine = (await call(worker.base, 'GET', `/api/v1/cases/${reference}/information-requests`, { headers: lead })).body.requests;
  assert.deepEqual(mine.map((r) => r.agency), ['Metropolitan Police Service']);
  const all = (await call(worker.base, 'GET', `/api/v1/cases/${reference}/information-requests`, { headers: team })).body.requests;
  const hospitalRequest = all.find((r) => r.agency_id === HOSPITAL);
  errorBody(assert, await call(worker.base, 'POST', `/api/v1/information-requests/${hospitalRequest.id}/return`, { json: { entries: [{ occurred_on: '2026-10-01', entry: 'x' }] }, headers: lead }), 404, 'not_found');

  const error = errorBody(assert, await call(worker.base, 'POST', `/api/v1/information-requests/${mine[0].id}/return`, { json: { entries: [{ occurred_on: '2999-01-01', entry: '' }] }, headers: lead }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['entries[0].occurred_on', 'entries[0].entry']);
  const res = await call(worker.base, 'POST', `/api/v1/information-requests/${mine[0].id}/return`, { json: { entries: [
    { occurred_on: '2026-10-20', occurred_time: '22:15', entry: 'Police called to the home: verbal argument, no arrest (Quillfeather)' },
    { occurred_on: '2026-09-02', entry: 'Domestic abuse report, risk assessed as standard' },
  ] }, headers: lead });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await call(worker.base, 'POST', `/api/v1/information-requests/${hospitalRequest.id}/return`, { json: { entries: [{ occurred_on: '2026-10-20', occurred_time: '09:00', entry: 'Emergency department attendance' }] }, headers: team });

  const chronology = await call(worker.base, 'GET', `/api/v1/cases/${reference}/chronology`, { headers: team });
  assert.equal(chronology.status, 200);
  assert.deepEqual(chronology.body.entries.map((e) => [e.occurred_on, e.occurred_time, e.agency]), [
    ['2026-09-02', null, 'Metropolitan Police Service'],
    ['2026-10-20', '09:00', 'Kingston Hospital'],
    ['2026-10-20', '22:15', 'Metropolitan Police Service'],
  ]);
  const leadView = (await call(worker.base, 'GET', `/api/v1/cases/${reference}/chronology`, { headers: lead })).body.entries;
  assert.ok(leadView.every((e) => e.agency_id === POLICE), 'an agency lead reads only their own agency\'s entries');
  errorBody(assert, await call(worker.base, 'GET', `/api/v1/cases/${reference}/chronology`, { headers: await signIn(worker.base, 'strategic_leadership') }), 403, 'forbidden');
  const dump = execFileSync(join(root, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', worker.persist, '--json', '--command', 'SELECT * FROM chronology_entries'], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }).toString();
  assert.ok(!dump.includes('Quillfeather') && !dump.includes('Emergency department'), 'chronology entries are sealed at rest');
  const returned = (await call(worker.base, 'GET', `/api/v1/cases/${reference}/information-requests`, { headers: team })).body.requests;
  assert.ok(returned.every((r) => r.returned_on));
});
