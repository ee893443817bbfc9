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

test('the case list filters, searches, sorts and pages; bad filters are named', async () => {
  const referrer = await signIn(worker.base, 'referrer');
  for (let i = 0; i < 3; i += 1) {
    await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral({ referrer_agency: `Agency ${i}` }), headers: referrer });
  }
  const list = (query) => call(worker.base, 'GET', `/api/v1/cases${query}`, { headers: team });
  const all = await list('');
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 4);
  assert.equal(all.body.cases.length, 4);

  const page = await list('?per_page=2&page=2&sort=reference&order=asc');
  assert.equal(page.body.total, 4);
  assert.deepEqual(page.body.cases.map((c) => c.reference), all.body.cases.map((c) => c.reference).sort().slice(2, 4));

  const themed = await list('?theme=domestic_abuse');
  assert.deepEqual(themed.body.cases.map((c) => c.reference), [reference]);
  const searched = await list('?q=agency%201');
  assert.deepEqual(searched.body.cases.map((c) => c.referrer_agency), ['Agency 1']);
  // D1 refuses LIKE patterns over 50 bytes: a long search is a named 400, never a 500 (found by schemathesis).
  assert.deepEqual(errorBody(assert, await list(`?q=${'0'.repeat(60)}`), 400, 'validation_failed').fields.map((f) => f.field), ['q']);
  assert.equal((await list(`?q=${'0'.repeat(48)}`)).status, 200);
  const wildcard = await list('?q=%25');
  assert.equal(wildcard.body.total, 0, 'a % in the search is a character, not a wildcard');
  const year = new Date().getUTCFullYear();
  assert.equal((await list(`?year=${year}`)).body.total, 4);
  assert.equal((await list(`?year=${year - 1}`)).body.total, 0);

  // Each row says what is needed next and how it stands; the overdue filter finds the late ones.
  const row = all.body.cases.find((c) => c.reference === reference);
  assert.equal(row.next_deadline.name, 'Notify the national panel');
  assert.equal(row.next_deadline.status, row.next_deadline.due < new Date().toISOString().slice(0, 10) ? 'overdue' : row.next_deadline.status);
  assert.equal(typeof row.overdue, 'number');
  assert.equal(row.open_actions, 0);
  const late = await list('?overdue=1');
  assert.deepEqual(late.body.cases.map((c) => c.reference).sort(), all.body.cases.filter((c) => c.overdue > 0).map((c) => c.reference).sort());
  assert.ok(late.body.cases.every((c) => c.next_deadline.status === 'overdue'));

  const error = errorBody(assert, await list('?per_page=5000&sort=name&colour=red&overdue=maybe'), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['per_page', 'sort', 'colour', 'overdue']);
});

test('the case matrix exports as CSV for roles that may see it, without personal data', async () => {
  const res = await fetch(`${worker.base}/api/v1/cases.csv?sort=reference&order=asc`, { headers: team });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="krscp-cases.csv"/);
  const csv = await res.text();
  const lines = csv.trim().split('\r\n');
  assert.equal(lines[0].split(',')[0], 'reference');
  assert.equal(lines.length, 5);
  assert.ok(lines[1].startsWith(reference));
  for (const personal of ['Zebedee', 'Quillfeather', '9434765919', 'skull']) assert.ok(!csv.includes(personal));
  errorBody(assert, await call(worker.base, 'GET', '/api/v1/cases.csv', { headers: await signIn(worker.base, 'referrer') }), 403, 'forbidden');
});
