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
  assert.deepEqual(other.body, { deadlines: [], awaiting_decision: [], requests: [], actions: [], awaiting_sign_off: [] });
  errorBody(assert, await call(worker.base, 'GET', '/api/v1/my-work'), 401, 'unauthenticated');
});

test('an agency lead sees what their agency is asked for and its actions; the partners see reports to sign', async () => {
  const team = await signIn(worker.base, 'partnership_team');
  const post = (path, json, method = 'POST') => call(worker.base, method, `/api/v1/cases/${reference}/${path}`, { json, headers: team });
  assert.equal((await post('information-requests', { agency_id: 'demo-krscp-met-police', kind: 'chronology' })).status, 201);
  const rec = (await post('recommendations', { text: 'Share notifications with health visiting' })).body;
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  assert.equal((await post(`recommendations/${rec.id}/actions`, { description: 'Audit twenty notifications', measure: 'All shared', owner_agency_id: 'demo-krscp-met-police', due_on: due })).status, 201);
  assert.equal((await post('rapid-review-report', { version: 0, write_up: { summary_and_context: 'Written up' } }, 'PUT')).status, 200);

  const lead = (await call(worker.base, 'GET', '/api/v1/my-work', { headers: await signIn(worker.base, 'agency_lead') })).body;
  assert.deepEqual(lead.requests.map((r) => [r.reference, r.kind]), [[reference, 'chronology']]);
  assert.deepEqual(lead.actions.map((a) => [a.reference, a.due_on]), [[reference, due]]);
  assert.deepEqual(lead.awaiting_sign_off, [], 'an agency lead signs nothing');
  const police = (await call(worker.base, 'GET', '/api/v1/my-work', { headers: await signIn(worker.base, 'decision_maker_police') })).body;
  assert.deepEqual(police.awaiting_sign_off.map((c) => c.reference), [reference], "the police partner's sign-off is awaited");
  const slg = (await call(worker.base, 'GET', '/api/v1/my-work', { headers: await signIn(worker.base, 'strategic_leadership') })).body;
  assert.deepEqual(slg.awaiting_sign_off, [], 'leadership signs no rapid review report');
  assert.deepEqual(slg.requests, [], 'leadership answers no requests');
});
