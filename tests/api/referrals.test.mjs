// The walking skeleton against the real Workers runtime and a fresh local D1:
// health, a referral stored and listed, retries, and bad input.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, errorBody, startWorker } from '../support/worker.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

const today = new Date().toISOString().slice(0, 10);
const valid = () => ({
  referrer_agency: 'Kingston Hospital',
  incident_date: '2026-11-02',
  aware_on: '2026-11-03',
  summary: 'Infant of 4 months admitted with an unexplained skull fracture; siblings safe with grandparents.',
});
const fieldNames = (error) => error.fields.map((f) => f.field);

describe('health', () => {
  test('GET /api/v1/health answers ok with security headers', async () => {
    const res = await call(worker.base, 'GET', '/api/v1/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  });
});

describe('a valid referral', () => {
  test('is stored with a partnership reference and appears in the case list', async () => {
    const first = await call(worker.base, 'POST', '/api/v1/referrals', { json: valid() });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.match(first.body.reference, /^KRSCP-\d{4}-\d{4}$/);
    assert.equal(first.body.stage, 'referral_received');

    const second = await call(worker.base, 'POST', '/api/v1/referrals', { json: { ...valid(), incident_date: today, aware_on: today } });
    assert.equal(second.status, 201);
    const number = (ref) => Number(ref.split('-')[2]);
    assert.equal(number(second.body.reference), number(first.body.reference) + 1, 'references are consecutive');

    const list = await call(worker.base, 'GET', '/api/v1/cases');
    assert.equal(list.status, 200);
    const refs = list.body.cases.map((c) => c.reference);
    assert.ok(refs.includes(first.body.reference));
    assert.ok(refs.includes(second.body.reference));
    const row = list.body.cases.find((c) => c.reference === first.body.reference);
    assert.deepEqual(
      { agency: row.referrer_agency, incident: row.incident_date, aware: row.aware_on },
      { agency: 'Kingston Hospital', incident: '2026-11-02', aware: '2026-11-03' },
    );
    assert.ok(!JSON.stringify(list.body).includes('skull fracture'), 'the case list carries no incident detail');
    assert.ok(!worker.logs().includes('skull fracture'), 'nothing a referral says is logged');
  });

  test('retried with the same Idempotency-Key returns the first case instead of a duplicate', async () => {
    const headers = { 'Idempotency-Key': 'retry-0f8e2c1a-5d4b' };
    const first = await call(worker.base, 'POST', '/api/v1/referrals', { json: valid(), headers });
    const again = await call(worker.base, 'POST', '/api/v1/referrals', { json: valid(), headers });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.reference, first.body.reference);
    const list = await call(worker.base, 'GET', '/api/v1/cases');
    assert.equal(list.body.cases.filter((c) => c.reference === first.body.reference).length, 1);
  });

  test('concurrent retries with one key still create one case', async () => {
    const headers = { 'Idempotency-Key': 'race-7b1d9e44-aa01' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => call(worker.base, 'POST', '/api/v1/referrals', { json: valid(), headers })),
    );
    const refs = new Set(results.map((r) => r.body.reference));
    assert.deepEqual(results.map((r) => r.status), [201, 201, 201, 201, 201]);
    assert.equal(refs.size, 1);
  });
});

describe('bad input is refused with the field named, and nothing is stored', () => {
  async function caseCount() {
    return (await call(worker.base, 'GET', '/api/v1/cases')).body.cases.length;
  }

  test('an empty referral names every required field', async () => {
    const before = await caseCount();
    const error = errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { json: {} }), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['referrer_agency', 'incident_date', 'aware_on', 'summary']);
    assert.equal(await caseCount(), before);
  });

  test('a date that is not YYYY-MM-DD or not real', async () => {
    const res = await call(worker.base, 'POST', '/api/v1/referrals', { json: { ...valid(), incident_date: '02/11/2026', aware_on: '2026-02-30' } });
    const error = errorBody(assert, res, 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['incident_date', 'aware_on']);
    assert.match(error.fields[0].message, /YYYY-MM-DD/);
    assert.match(error.fields[1].message, /real date/);
  });

  test('awareness before the incident, and a date in the future', async () => {
    let error = errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { json: { ...valid(), aware_on: '2026-11-01' } }), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['aware_on']);
    error = errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { json: { ...valid(), incident_date: '2999-01-01', aware_on: '2999-01-02' } }), 400, 'validation_failed');
    assert.deepEqual(fieldNames(error), ['incident_date', 'aware_on']);
  });

  test('a field of the wrong type', async () => {
    const error = errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { json: { ...valid(), summary: 42 } }), 400, 'validation_failed');
    assert.deepEqual(error.fields, [{ field: 'summary', message: 'Must be text' }]);
  });

  test('malformed JSON, the wrong media type, an oversized body, a bad Idempotency-Key', async () => {
    errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { body: '{"summary":', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
    errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { json: { ...valid(), summary: 'x'.repeat(70_000) } }), 413, 'payload_too_large');
    const error = errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { json: valid(), headers: { 'Idempotency-Key': 'no spaces!' } }), 400, 'bad_header');
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
