// Sign-in, sessions and who sees which cases.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { DEMO_PASSWORD, call, demoEmail, errorBody, signIn, startWorker } from '../support/worker.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

const signInAs = (email, password) => call(worker.base, 'POST', '/api/v1/session', { json: { email, password } });

describe('sign-in', () => {
  test('sets a __Host- session cookie (HttpOnly, Secure, SameSite=Strict, no Domain) and says who is signed in', async () => {
    const res = await signInAs(demoEmail('partnership_team'), DEMO_PASSWORD);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const cookie = res.headers.get('set-cookie');
    assert.match(cookie, /^__Host-sid=[\w-]{43}; /);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/;/);
    assert.match(cookie, /; Secure/, 'a __Host- cookie is Secure (browsers treat 127.0.0.1 and localhost as secure)');
    assert.doesNotMatch(cookie, /Domain=/i, 'a __Host- cookie names no domain');
    assert.deepEqual(res.body.roles, ['partnership_team']);
    assert.equal(res.body.partnership_code, 'KRSCP');

    const headers = { cookie: cookie.split(';')[0] };
    const me = await call(worker.base, 'GET', '/api/v1/session', { headers });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, demoEmail('partnership_team'));

    assert.equal((await call(worker.base, 'DELETE', '/api/v1/session', { headers })).status, 204);
    errorBody(assert, await call(worker.base, 'GET', '/api/v1/session', { headers }), 401, 'unauthenticated');
  });

  test('a wrong password and an unknown email get the same answer, and the password is never logged', async () => {
    const wrong = errorBody(assert, await signInAs(demoEmail('referrer'), 'not-the-password-xyz'), 401, 'bad_credentials');
    const unknown = errorBody(assert, await signInAs('nobody@krscp.demo', 'not-the-password-xyz'), 401, 'bad_credentials');
    assert.equal(wrong.message, unknown.message);
    assert.ok(!worker.logs().includes('not-the-password-xyz'));
    assert.ok(!worker.logs().includes(DEMO_PASSWORD));
  });

  test('missing fields are named', async () => {
    const error = errorBody(assert, await call(worker.base, 'POST', '/api/v1/session', { json: {} }), 400, 'validation_failed');
    assert.deepEqual(error.fields.map((f) => f.field), ['email', 'password']);
  });

  test('everything but health, the calendar and the threshold decision needs a session', async () => {
    errorBody(assert, await call(worker.base, 'GET', '/api/v1/cases'), 401, 'unauthenticated');
    errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral() }), 401, 'unauthenticated');
    errorBody(assert, await call(worker.base, 'GET', '/api/v1/cases', { headers: { cookie: '__Host-sid=forged-token' } }), 401, 'unauthenticated');
  });
});

describe('who sees which cases', () => {
  test('a referrer sees only their own referrals; other partnerships see nothing; leadership cannot refer', async () => {
    const referrer = await signIn(worker.base, 'referrer');
    const agencyLead = await signIn(worker.base, 'agency_lead');
    const team = await signIn(worker.base, 'partnership_team');
    const otherTeam = await signIn(worker.base, 'partnership_team', 'llr');
    const leadership = await signIn(worker.base, 'strategic_leadership');

    const mine = await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: referrer });
    const theirs = await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral({ referrer_agency: 'Metropolitan Police Service' }), headers: agencyLead });
    assert.equal(mine.status, 201);
    assert.equal(theirs.status, 201);

    const list = async (as) => (await call(worker.base, 'GET', '/api/v1/cases', { headers: as })).body.cases.map((c) => c.reference);
    assert.ok((await list(referrer)).includes(mine.body.reference));
    assert.ok(!(await list(referrer)).includes(theirs.body.reference), 'a referrer does not see other referrals');
    assert.ok((await list(team)).includes(theirs.body.reference));
    assert.deepEqual(await list(otherTeam), [], 'another partnership sees none of these cases');

    errorBody(assert, await call(worker.base, 'GET', `/api/v1/cases/${mine.body.reference}`, { headers: otherTeam }), 404, 'not_found');
    errorBody(assert, await call(worker.base, 'GET', `/api/v1/cases/${theirs.body.reference}`, { headers: referrer }), 404, 'not_found');
    const own = await call(worker.base, 'GET', `/api/v1/cases/${mine.body.reference}`, { headers: referrer });
    assert.equal(own.status, 200);
    assert.equal(own.body.may_read_personal_details, false);
    errorBody(assert, await call(worker.base, 'GET', `/api/v1/cases/${mine.body.reference}/personal-details`, { headers: referrer }), 403, 'forbidden');
    errorBody(assert, await call(worker.base, 'GET', `/api/v1/cases/${mine.body.reference}/personal-details`, { headers: leadership }), 403, 'forbidden');
    errorBody(assert, await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: leadership }), 403, 'forbidden');
  });
});
