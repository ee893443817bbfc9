// What must hold when many people submit at once and when the runtime restarts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { call, signIn, startWorker } from '../support/worker.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

test('a burst of 200 concurrent referrals: all stored, references unique and gap-free', async () => {
  const referrer = await signIn(worker.base, 'referrer');
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => call(worker.base, 'POST', '/api/v1/referrals', {
    json: validReferral({ referrer_agency: `Burst agency ${i}` }),
    headers: { ...referrer, 'Idempotency-Key': `burst-key-${String(i).padStart(4, '0')}` },
  })));
  assert.deepEqual([...new Set(results.map((r) => r.status))], [201]);
  const numbers = results.map((r) => Number(r.body.reference.split('-')[2])).sort((a, b) => a - b);
  assert.equal(new Set(numbers).size, 200, 'unique');
  assert.deepEqual(numbers, Array.from({ length: 200 }, (_, i) => numbers[0] + i), 'gap-free');
  const team = await signIn(worker.base, 'partnership_team');
  const listed = await call(worker.base, 'GET', '/api/v1/cases?per_page=1', { headers: team });
  assert.equal(listed.body.total, 200);
});

test('stopping and restarting the runtime keeps every committed case and the session', async () => {
  const team = await signIn(worker.base, 'partnership_team');
  const before = (await call(worker.base, 'GET', '/api/v1/cases?per_page=1', { headers: team })).body.total;
  const { persist } = worker;
  await worker.stop({ keepState: true });
  worker = await startWorker({ persist });
  const after = await call(worker.base, 'GET', '/api/v1/cases?per_page=1', { headers: team });
  assert.equal(after.status, 200, 'the session, in D1, survives the restart');
  assert.equal(after.body.total, before);
});
