// Referrals and the case list against the real Workers runtime and a fresh
// local D1: stored with a reference, sealed at rest, retried safely, and bad
// input refused with the field named.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PERSONAL_STRINGS, validReferral } from '../support/referral.mjs';
import { call, errorBody, root, signIn, startWorker } from '../support/worker.mjs';

let worker;
let referrer;
let team;
before(async () => {
  worker = await startWorker();
  referrer = await signIn(worker.base, 'referrer');
  team = await signIn(worker.base, 'partnership_team');
});
after(async () => { await worker?.stop(); });

const today = new Date().toISOString().slice(0, 10);
const fieldNames = (error) => error.fields.map((f) => f.field);
const submit = (json, headers = {}, as = referrer) => call(worker.base, 'POST', '/api/v1/referrals', { json, headers: { ...as, ...headers } });
const listCases = async (as = team) => (await call(worker.base, 'GET', '/api/v1/cases', { headers: as })).body.cases;

describe('health', () => {
  test('GET /api/v1/health answers ok with security headers, without a session', async () => {
    const res = await call(worker.base, 'GET', '/api/v1/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  });
});

describe('a valid referral', () => {
  test('is stored with a partnership reference and appears in the case list without personal data', async () => {
    const first = await submit(validReferral());
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.match(first.body.reference, /^KRSCP-\d{4}-\d{4}$/);
    assert.equal(first.body.stage, 'referral_received');

    const second = await submit(validReferral({ incident_date: today, aware_on: today }));
    assert.equal(second.status, 201);
    const number = (ref) => Number(ref.split('-')[2]);
    assert.equal(number(second.body.reference), number(first.body.reference) + 1, 'references are consecutive');

    const cases = await listCases();
    const refs = cases.map((c) => c.reference);
    assert.ok(refs.includes(first.body.reference) && refs.includes(second.body.reference));
    const row = cases.find((c) => c.reference === first.body.reference);
    assert.deepEqual(
      { agency: row.referrer_agency, incident: row.incident_date, aware: row.aware_on },
      { agency: 'Kingston Hospital', incident: '2026-11-02', aware: '2026-11-03' },
    );
    const listed = JSON.stringify(cases);
    for (const personal of PERSONAL_STRINGS) assert.ok(!listed.includes(personal), `the case list leaks ${personal}`);
    for (const personal of PERSONAL_STRINGS) assert.ok(!worker.logs().includes(personal), `the log leaks ${personal}`);
  });

  test('is sealed at rest: D1 holds no child name, date of birth or NHS number in clear', async () => {
    await submit(validReferral());
    const dump = execFileSync(join(root, 'node_modules/.bin/wrangler'), [
      'd1', 'execute', 'DB', '--local', '--persist-to', worker.persist, '--json',
      '--command', 'SELECT * FROM cases; SELECT * FROM audit_log;',
    ], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }).toString();
    assert.match(dump, /"personal_data": "v2\./, 'personal data is stored sealed');
    for (const personal of PERSONAL_STRINGS) assert.ok(!dump.includes(personal), `D1 holds ${personal} in clear`);
  });

  test('personal details open for the partnership team, and the reading is audited', async () => {
    const { body } = await submit(validReferral());
    const details = await call(worker.base, 'GET', `/api/v1/cases/${body.reference}/personal-details`, { headers: team });
    assert.equal(details.status, 200);
    assert.equal(details.body.children[0].name, 'Zebedee Quillfeather');
    assert.equal(details.body.children[0].nhs_number, '9434765919');
    const dump = execFileSync(join(root, 'node_modules/.bin/wrangler'), [
      'd1', 'execute', 'DB', '--local', '--persist-to', worker.persist, '--json',
      '--command', `SELECT action FROM audit_log WHERE case_id = '${body.id}' ORDER BY id`,
    ], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }).toString();
    const actions = JSON.parse(dump)[0].results.map((r) => r.action);
    assert.deepEqual(actions, ['referral_submitted', 'personal_details_read']);
  });

  test('retried with the same Idempotency-Key returns the first case instead of a duplicate', async () => {
    const headers = { 'Idempotency-Key': 'retry-0f8e2c1a-5d4b' };
    const first = await submit(validReferral(), headers);
    const again = await submit(validReferral(), headers);
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.reference, first.body.reference);
    assert.equal((await listCases()).filter((c) => c.reference === first.body.reference).length, 1);
  });

  test('concurrent retries with one key still create one case, and leave no gap in references', async () => {
    const headers = { 'Idempotency-Key': 'race-7b1d9e44-aa01' };
    const results = await Promise.all(Array.from({ length: 5 }, () => submit(validReferral(), headers)));
    assert.deepEqual(results.map((r) => r.status), [201, 201, 201, 201, 201]);
    assert.equal(new Set(results.map((r) => r.body.reference)).size, 1);
    const next = await submit(validReferral());
    const number = (ref) => Number(ref.split('-')[2]);
    assert.equal(number(next.body.reference), number(results[0].body.reference) + 1);
  });
});

describe('bad input is refused with the field named, and nothing is stored', () => {
  test('an empty referral names every required field', async () => {
    const before = (await listCases()).length;
    const error = errorBody(assert, await submit({}), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), [
      'referrer_name', 'referrer_agency', 'referrer_role', 'referrer_contact', 'incident_date', 'aware_on',
      'incident_place', 'summary', 'immediate_safeguarding', 'children',
    ]);
    assert.equal((await listCases()).length, before);
  });

  test('a date that is not YYYY-MM-DD or not real', async () => {
    const error = errorBody(assert, await submit(validReferral({ incident_date: '02/11/2026', aware_on: '2026-02-30' })), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['incident_date', 'aware_on']);
    assert.match(error.fields[0].message, /YYYY-MM-DD/);
    assert.match(error.fields[1].message, /real date/);
  });

  test('awareness before the incident, a date in the future, a bad NHS number, five children', async () => {
    let error = errorBody(assert, await submit(validReferral({ aware_on: '2026-11-01' })), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['aware_on']);
    error = errorBody(assert, await submit(validReferral({ incident_date: '2999-01-01', aware_on: '2999-01-02' })), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['incident_date', 'aware_on']);
    const child = validReferral().children[0];
    error = errorBody(assert, await submit(validReferral({ children: [{ ...child, nhs_number: '9434765918' }] })), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['children[0].nhs_number']);
    error = errorBody(assert, await submit(validReferral({ children: Array(5).fill(child) })), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['children']);
  });

  test('a field of the wrong type, and a field that does not exist', async () => {
    let error = errorBody(assert, await submit(validReferral({ summary: 42 })), 400, 'validation_failed');
    assert.deepEqual(error.fields, [{ field: 'summary', message: 'Must be text' }]);
    error = errorBody(assert, await submit(validReferral({ chidren: [] })), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['chidren']);
  });

  test('malformed JSON, the wrong media type, an oversized body, a bad Idempotency-Key', async () => {
    errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { body: '{"summary":', headers: { ...referrer, 'content-type': 'application/json' } }), 400, 'malformed_json');
    errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { body: 'a=b', headers: { ...referrer, 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    errorBody(assert, await submit(validReferral({ summary: 'x'.repeat(70_000) })), 413, 'payload_too_large');
    const error = errorBody(assert, await submit(validReferral(), { 'Idempotency-Key': 'no spaces!' }), 400, 'bad_header');
    assert.equal(error.fields[0].field, 'Idempotency-Key');
  });
});

describe('routing', () => {
  test('unknown API paths are JSON 404s and wrong methods JSON 405s', async () => {
    errorBody(assert, await call(worker.base, 'GET', '/api/v1/nothing-here'), 404, 'not_found');
    const res = await call(worker.base, 'DELETE', '/api/v1/cases');
    errorBody(assert, res, 405, 'method_not_allowed');
    assert.equal(res.headers.get('allow'), 'GET');
  });

  test('app routes are served the single-page app', async () => {
    const res = await fetch(`${worker.base}/cases`, { headers: { 'Sec-Fetch-Mode': 'navigate', Accept: 'text/html' } });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<title>Safeguarding case reviews<\/title>/);
  });
});
