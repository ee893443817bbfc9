// Changing a case's record: only the partnership team may, a stale version is
// refused with the current state, and nothing is silently overwritten.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { call, errorBody, signIn, startWorker } from '../support/worker.mjs';

let worker;
let team;
let reference;
before(async () => {
  worker = await startWorker();
  team = await signIn(worker.base, 'partnership_team');
  const referrer = await signIn(worker.base, 'referrer');
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: referrer })).body.reference;
});
after(async () => { await worker?.stop(); });

const patch = (json, as = team) => call(worker.base, 'PATCH', `/api/v1/cases/${reference}`, { json, headers: as });

test('the partnership team records references and themes; the version moves on', async () => {
  const before = await call(worker.base, 'GET', `/api/v1/cases/${reference}`, { headers: team });
  assert.equal(before.status, 200);
  assert.equal(before.body.version, 1);
  const res = await patch({ version: 1, national_reference: 'CSPRP-2026-123', themes: ['non_accidental_head_injury', 'domestic_abuse'], tags: ['Cross-border'] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.version, 2);
  assert.equal(res.body.national_reference, 'CSPRP-2026-123');
  assert.deepEqual(res.body.themes, ['non_accidental_head_injury', 'domestic_abuse']);
  assert.deepEqual(res.body.tags, ['cross-border']);
  const listed = (await call(worker.base, 'GET', '/api/v1/cases', { headers: team })).body.cases.find((c) => c.reference === reference);
  assert.deepEqual(listed.themes, ['non_accidental_head_injury', 'domestic_abuse']);
});

test('two people editing the same case: the second gets a conflict and nothing is lost', async () => {
  const { version } = (await call(worker.base, 'GET', `/api/v1/cases/${reference}`, { headers: team })).body;
  const first = await patch({ version, steis_reference: '2026/11111' });
  assert.equal(first.status, 200);
  const second = await patch({ version, steis_reference: '2026/22222' });
  const error = errorBody(assert, second, 409, 'conflict');
  assert.equal(error.current.steis_reference, '2026/11111', 'the conflict carries the current state');
  assert.equal(error.current.version, version + 1);
  const now = await call(worker.base, 'GET', `/api/v1/cases/${reference}`, { headers: team });
  assert.equal(now.body.steis_reference, '2026/11111', 'the first change was not overwritten');
});

test('bad changes name the field; other roles and partnerships are refused', async () => {
  let error = errorBody(assert, await patch({ themes: ['neglect'] }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['version']);
  error = errorBody(assert, await patch({ version: 1, themes: ['gangs'] }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['themes[0]']);
  error = errorBody(assert, await patch({ version: 1, pseudonym: 'Child Q' }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['pseudonym']);
  error = errorBody(assert, await patch({ version: 'one' }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['version']);
  errorBody(assert, await patch({ version: 1 }, await signIn(worker.base, 'referrer')), 403, 'forbidden');
  errorBody(assert, await patch({ version: 1 }, await signIn(worker.base, 'decision_maker')), 403, 'forbidden');
  errorBody(assert, await patch({ version: 1 }, await signIn(worker.base, 'partnership_team', 'llr')), 404, 'not_found');
});
