// What a hostile page could make a signed-in browser do: writes from another
// site are refused (Fetch Metadata, else Origin), a body must be JSON to be
// read, and a password counts exactly as typed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO_PASSWORD, call, demoEmail, errorBody, signIn, startWorker } from '../support/worker.mjs';

let worker;
let team;
before(async () => {
  worker = await startWorker();
  team = await signIn(worker.base, 'partnership_team');
});
after(async () => { await worker?.stop(); });

const agency = (name) => ({ name, kind: 'education', safeguarding_partner: false });

test('a write started by a page on another site is refused, whatever cookie it carries', async () => {
  const crossSite = await call(worker.base, 'POST', '/api/v1/partnership/agencies', { json: agency('Cross-site academy'), headers: { ...team, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
  const refused = errorBody(assert, crossSite, 403, 'cross_site_request');
  assert.match(refused.message, /another site/);
  errorBody(assert, await call(worker.base, 'POST', '/api/v1/partnership/agencies', { json: agency('Sibling academy'), headers: { ...team, 'sec-fetch-site': 'same-site' } }), 403, 'cross_site_request');
  errorBody(assert, await call(worker.base, 'POST', '/api/v1/partnership/agencies', { json: agency('Origin-only academy'), headers: { ...team, origin: 'https://evil.example' } }), 403, 'cross_site_request');
  // Signing in from another site's page is a write too (login CSRF).
  errorBody(assert, await call(worker.base, 'POST', '/api/v1/session', { json: { email: demoEmail('referrer'), password: DEMO_PASSWORD }, headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'cross_site_request');

  const settings = await call(worker.base, 'GET', '/api/v1/partnership', { headers: { ...team, 'sec-fetch-site': 'cross-site' } });
  assert.equal(settings.status, 200, 'reading is not a write');
  assert.ok(!settings.body.agencies.some((a) => /academy/.test(a.name)), 'nothing refused was stored');

  const own = await call(worker.base, 'POST', '/api/v1/partnership/agencies', { json: agency('Own-page academy'), headers: { ...team, 'sec-fetch-site': 'same-origin', origin: worker.base } });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  const sameOrigin = await call(worker.base, 'POST', '/api/v1/partnership/agencies', { json: agency('Origin academy'), headers: { ...team, origin: worker.base } });
  assert.equal(sameOrigin.status, 201, JSON.stringify(sameOrigin.body));
});

test('a body is read only when it says it is JSON', async () => {
  const plain = await call(worker.base, 'POST', '/api/v1/partnership/agencies', { body: JSON.stringify(agency('Plain academy')), headers: team });
  errorBody(assert, plain, 415, 'unsupported_media_type');
  const untyped = await call(worker.base, 'POST', '/api/v1/partnership/agencies', { body: new TextEncoder().encode(JSON.stringify(agency('Untyped academy'))), headers: team });
  errorBody(assert, untyped, 415, 'unsupported_media_type');
  const charset = await call(worker.base, 'POST', '/api/v1/partnership/agencies', { body: JSON.stringify(agency('Charset academy')), headers: { ...team, 'content-type': 'application/json; charset=utf-8' } });
  assert.equal(charset.status, 201, JSON.stringify(charset.body));
});

test('a password is compared exactly as typed', async () => {
  const email = demoEmail('decision_maker');
  errorBody(assert, await call(worker.base, 'POST', '/api/v1/session', { json: { email, password: `  ${DEMO_PASSWORD}  ` } }), 401, 'bad_credentials');
  const exact = await call(worker.base, 'POST', '/api/v1/session', { json: { email: ` ${email.toUpperCase()} `, password: DEMO_PASSWORD } });
  assert.equal(exact.status, 200, 'the address is not case-sensitive; the password is');
});
