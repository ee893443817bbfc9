// The figures of the case matrix over a period: counted within the person's
// partnership, judged on the original due dates, and holding no personal data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CHILD_NAME, validReferral } from '../support/referral.mjs';
import { call, errorBody, signIn, startWorker } from '../support/worker.mjs';

let worker;
let team;
const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const api = (method, path, json, who = team) => call(worker.base, method, `/api/v1${path}`, { json, headers: who });

before(async () => {
  worker = await startWorker();
  team = await signIn(worker.base, 'partnership_team');
  const referrer = await signIn(worker.base, 'referrer');
  // One referral whose notification is long overdue, one notified in time.
  const late = (await api('POST', '/referrals', validReferral({ aware_on: day(-40), incident_date: day(-41) }), referrer)).body.reference;
  const prompt = (await api('POST', '/referrals', validReferral({ aware_on: day(-1), incident_date: day(-2) }), referrer)).body.reference;
  assert.equal((await api('POST', `/cases/${prompt}/events`, { kind: 'notified', on: day(0) })).status, 201);
  const version = (await api('GET', `/cases/${late}`)).body.version;
  assert.equal((await api('PATCH', `/cases/${late}`, { version, themes: ['neglect', 'domestic_abuse'] })).status, 200);
  const res = await api('POST', `/cases/${prompt}/decisions/rapid-review`, {
    option: 'lcspr', rationale: 'Learning about information sharing across agencies', equality_and_racism: 'Considered: no effect found',
    key_lines_of_enquiry: ['Information sharing'], findings: { improvements_needed: true },
  });
  assert.equal(res.status, 201);
});
after(async () => { await worker?.stop(); });

test('referrals, notifications on time, outcomes and themes over a period', async () => {
  assert.equal((await api('GET', '/figures')).body.period.to, day(0), 'by default, the twelve months to today');
  // A step counts in the period its (original) due date falls in: the prompt notification is due in a few days.
  const res = await api('GET', `/figures?to=${day(30)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const f = res.body;
  assert.equal(f.referrals, 2);
  assert.equal(f.notified, 1);
  assert.deepEqual(f.notification_on_time, { due: 2, on_time: 1, overdue: 1 });
  assert.deepEqual(f.outcomes.map((o) => [o.key, o.count]), [['lcspr', 1]]);
  assert.deepEqual(f.themes.map((t) => [t.label, t.count]).sort(), [['Domestic abuse', 1], ['Neglect', 1]]);
  assert.equal(f.lcsprs_within_six_months.due, 0, 'a review still running is not yet a figure');
  assert.ok(!JSON.stringify(f).includes(CHILD_NAME));
});

test('the period is the person\'s to choose, checked, and other partnerships count nothing of ours', async () => {
  const empty = (await api('GET', `/figures?from=2020-01-01&to=2020-12-31`)).body;
  assert.deepEqual([empty.referrals, empty.notified, empty.themes.length], [0, 0, 0]);
  const error = errorBody(assert, await api('GET', '/figures?from=2026-12-01&to=2026-01-01'), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((e) => e.field), ['to']);
  errorBody(assert, await api('GET', '/figures', undefined, await signIn(worker.base, 'referrer')), 403, 'forbidden');
  const other = (await api('GET', '/figures', undefined, await signIn(worker.base, 'partnership_team', 'llr'))).body;
  assert.equal(other.referrals, 0);
});
