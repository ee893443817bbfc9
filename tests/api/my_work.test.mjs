// "Your work": open deadlines of the person's roles and cases awaiting a decision.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { call, errorBody, signIn, startWorker } from '../support/worker.mjs';

let worker;
let reference;
before(async () => {
  worker = await startWorker();
  const referrer = await signIn(worker.base, 'referrer');
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral({ incident_date: '2026-11-02', aware_on: '2026-11-03' }), headers: referrer })).body.reference;
});
after(async () => { await worker?.stop(); });

test('the partnership team sees the overdue notification and the case awaiting a decision', async () => {
  const res = await call(worker.base, 'GET', '/api/v1/my-work', { headers: await signIn(worker.base, 'partnership_team') });
  assert.equal(res.status, 200);
  const notify = res.body.deadlines.find((d) => d.reference === reference && d.step_key === 'notify_panel');
  assert.equal(notify.due, '2026-11-10');
  assert.equal(notify.status, 'overdue', 'aware on 3 November: the 5 working days ran out on 10 November');
  assert.ok(notify.working_days_left < 0);
  assert.deepEqual(res.body.awaiting_decision.map((c) => c.reference), [reference]);
});

test('a referrer has no decisions to make; another partnership sees none of it; a session is needed', async () => {
  const mine = await call(worker.base, 'GET', '/api/v1/my-work', { headers: await signIn(worker.base, 'referrer') });
  assert.deepEqual(mine.body.awaiting_decision, []);
  assert.ok(mine.body.deadlines.every((d) => d.owner === 'referrer'));
  const other = await call(worker.base, 'GET', '/api/v1/my-work', { headers: await signIn(worker.base, 'partnership_team', 'llr') });
  assert.deepEqual(other.body, { deadlines: [], awaiting_decision: [] });
  errorBody(assert, await call(worker.base, 'GET', '/api/v1/my-work'), 401, 'unauthenticated');
});
