// The partnership team's settings: agencies, contacts, closure days, playbook.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { call, errorBody, signIn, startWorker } from '../support/worker.mjs';

let worker;
let team;
before(async () => {
  worker = await startWorker();
  team = await signIn(worker.base, 'partnership_team');
});
after(async () => { await worker?.stop(); });

const settings = async (as = team) => call(worker.base, 'GET', '/api/v1/partnership', { headers: as });

test('the seeded KRSCP agencies mark the three safeguarding partners', async () => {
  const res = await settings();
  assert.equal(res.status, 200);
  assert.equal(res.body.playbook_id, 'krscp');
  const partners = res.body.agencies.filter((a) => a.safeguarding_partner).map((a) => a.kind).sort();
  assert.deepEqual(partners, ['health', 'local_authority', 'police']);
  assert.ok(res.body.contacts.some((c) => c.purpose === 'national_panel'));
  const referrerView = await settings(await signIn(worker.base, 'referrer'));
  assert.equal(referrerView.status, 200);
  assert.equal(referrerView.body.contacts, null, 'contacts are for the partnership team');
});

test('agencies and contacts are added, named errors otherwise; only the team may', async () => {
  const res = await call(worker.base, 'POST', '/api/v1/partnership/agencies', { json: { name: 'Richmond Youth Service', kind: 'voluntary' }, headers: team });
  assert.equal(res.status, 201);
  let error = errorBody(assert, await call(worker.base, 'POST', '/api/v1/partnership/agencies', { json: { name: 'Richmond Youth Service', kind: 'voluntary' }, headers: team }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['name']);
  error = errorBody(assert, await call(worker.base, 'POST', '/api/v1/partnership/agencies', { json: { name: 'X', kind: 'army' }, headers: team }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['kind']);
  const contact = await call(worker.base, 'POST', '/api/v1/partnership/contacts', { json: { purpose: 'agency_lead', name: 'Youth lead', email: 'lead@youth.example', agency_id: res.body.id }, headers: team });
  assert.equal(contact.status, 201);
  error = errorBody(assert, await call(worker.base, 'POST', '/api/v1/partnership/contacts', { json: { purpose: 'agency_lead', name: 'Lead', email: 'x@y.example', agency_id: 'test-llr-police' }, headers: team }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['agency_id'], "another partnership's agency");
  errorBody(assert, await call(worker.base, 'POST', '/api/v1/partnership/agencies', { json: { name: 'Y', kind: 'other' }, headers: await signIn(worker.base, 'decision_maker') }), 403, 'forbidden');
});

test('closure days are not working days: new deadlines skip them; stale changes conflict', async () => {
  const { version } = (await settings()).body;
  const res = await call(worker.base, 'PUT', '/api/v1/partnership/closure-days', { json: { version, days: ['2026-11-05', '2026-11-04'] }, headers: team });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.closure_days, ['2026-11-04', '2026-11-05']);
  errorBody(assert, await call(worker.base, 'PUT', '/api/v1/partnership/closure-days', { json: { version, days: [] }, headers: team }), 409, 'conflict');
  const referrer = await signIn(worker.base, 'referrer');
  const { reference } = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral({ incident_date: '2026-11-02', aware_on: '2026-11-03' }), headers: referrer })).body;
  const timeline = (await call(worker.base, 'GET', `/api/v1/cases/${reference}/timeline`, { headers: team })).body;
  assert.equal(timeline.deadlines.find((d) => d.step_key === 'notify_panel').due, '2026-11-12', 'two closure days push the 5th working day on');
});

test('the playbook follows a preset or an edited copy that never loosens a statutory step', async () => {
  let { version, playbook } = (await settings()).body;
  const res = await call(worker.base, 'PUT', '/api/v1/partnership/playbook', { json: { version, preset: 'llr' }, headers: team });
  assert.equal(res.status, 200);
  assert.equal(res.body.playbook.id, 'llr');
  ({ version } = res.body);
  const loosened = structuredClone(playbook);
  loosened.steps.find((s) => s.key === 'notify_panel').offset = 10;
  const error = errorBody(assert, await call(worker.base, 'PUT', '/api/v1/partnership/playbook', { json: { version, playbook: loosened }, headers: team }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['playbook.steps']);
  const stricter = structuredClone(playbook);
  stricter.steps.find((s) => s.key === 'rapid_review_meeting').offset = 8;
  const custom = await call(worker.base, 'PUT', '/api/v1/partnership/playbook', { json: { version, playbook: stricter }, headers: team });
  assert.equal(custom.status, 200);
  assert.equal(custom.body.custom_playbook, true);
  errorBody(assert, await call(worker.base, 'PUT', '/api/v1/partnership/playbook', { json: { version, preset: 'kent' }, headers: team }), 409, 'conflict');
});
