// Sign-in limiting and sessions that end when they should: attempts are
// counted atomically before the password is checked, per address and per
// client, with a growing delay rather than a lockout; a session ends after
// the idle time, at once when signed out everywhere.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO_PASSWORD, call, d1, demoEmail, errorBody, signIn, startWorker } from '../support/worker.mjs';

let worker;
// A short idle time, so that the test can wait it out.
before(async () => { worker = await startWorker({ vars: { SESSION_IDLE_SECONDS: '3' } }); });
after(async () => { await worker?.stop(); });

const signInAs = (email, password, headers = {}) => call(worker.base, 'POST', '/api/v1/session', { json: { email, password }, headers });
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

test('thirty guesses at once for one address: only the free five are checked, then a growing delay, never a lockout', async () => {
  const email = demoEmail('scrutineer');
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => signInAs(email, `wrong-guess-${i}`)));
  const statuses = results.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 401).length, 5, `five checked, got ${JSON.stringify(statuses)}`);
  assert.equal(statuses.filter((s) => s === 429).length, 25);
  const limited = results.find((r) => r.status === 429);
  const wait = Number(limited.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 2, `the first delay is a second or two, got ${wait}`);
  errorBody(assert, limited, 429, 'too_many_requests');
  // The owner of the address is only delayed: after the wait the right password works.
  await sleep(wait * 1000 + 200);
  assert.equal((await signInAs(email, DEMO_PASSWORD)).status, 200);
  // And a success starts the address again.
  assert.equal((await signInAs(email, 'wrong-after-success')).status, 401);
});

test('a session ends after the idle time without a request, and each request keeps it alive', async () => {
  const session = await signIn(worker.base, 'partnership_team');
  for (let i = 0; i < 3; i += 1) {
    await sleep(1500);
    assert.equal((await call(worker.base, 'GET', '/api/v1/session', { headers: session })).status, 200, 'kept alive by use');
  }
  await sleep(3500);
  errorBody(assert, await call(worker.base, 'GET', '/api/v1/session', { headers: session }), 401, 'unauthenticated');
});

test('signing out everywhere ends every session of that person at once, and only theirs', async () => {
  const phone = await signIn(worker.base, 'decision_maker');
  const desk = await signIn(worker.base, 'decision_maker');
  const colleague = await signIn(worker.base, 'partnership_team');
  const res = await call(worker.base, 'DELETE', '/api/v1/sessions', { headers: phone });
  assert.equal(res.status, 204);
  assert.match(res.headers.get('set-cookie'), /^__Host-sid=; .*Max-Age=0/);
  errorBody(assert, await call(worker.base, 'GET', '/api/v1/session', { headers: phone }), 401, 'unauthenticated');
  errorBody(assert, await call(worker.base, 'GET', '/api/v1/session', { headers: desk }), 401, 'unauthenticated');
  assert.equal((await call(worker.base, 'GET', '/api/v1/session', { headers: colleague })).status, 200);
  errorBody(assert, await call(worker.base, 'DELETE', '/api/v1/sessions'), 401, 'unauthenticated');
  const [{ n }] = d1(worker, "SELECT count(*) AS n FROM audit_log WHERE action = 'signed_out_everywhere'");
  assert.equal(n, 1);
  const stored = JSON.stringify(d1(worker, 'SELECT * FROM sessions'));
  for (const { cookie } of [phone, desk, colleague]) assert.ok(!stored.includes(cookie.split('=')[1]), 'tokens are stored only as hashes');
});

test('one client trying many addresses is limited too', async () => {
  // A worker of its own: every attempt comes from this machine, and this test spends its allowance.
  const lone = await startWorker();
  try {
    const results = [];
    for (let i = 0; i < 31; i += 1) {
      results.push((await call(lone.base, 'POST', '/api/v1/session', { json: { email: `nobody-${i}@krscp.demo`, password: 'guess' } })).status);
    }
    assert.deepEqual(results, [...Array(30).fill(401), 429], 'thirty checked, then the client waits');
  } finally {
    await lone.stop();
  }
});
