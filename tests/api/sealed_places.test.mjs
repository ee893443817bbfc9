// A sealed value opens only where it was sealed: each partnership has its own
// key, and the partnership, table, column and row are bound to the
// ciphertext. A value copied to another row or another partnership does not
// open there. Values sealed the old way (`v1.`: one key, no place) still
// open, and the daily job reseals them, so the change needs no downtime.
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CHILD_NAME, validReferral } from '../support/referral.mjs';
import { call, d1, root, signIn, startWorker } from '../support/worker.mjs';

const OTHER_CHILD = 'Ottoline Brackenbury';

let worker;
let as;
const refer = async (json, who = as.referrer) => (await call(worker.base, 'POST', '/api/v1/referrals', { json, headers: who })).body.reference;
const personal = (reference, who = as.team) => call(worker.base, 'GET', `/api/v1/cases/${reference}/personal-details`, { headers: who });
const stored = (reference) => d1(worker, `SELECT personal_data FROM cases WHERE reference = '${reference}'`)[0].personal_data;
const store = (reference, value) => d1(worker, `UPDATE cases SET personal_data = '${value}' WHERE reference = '${reference}'`);

before(async () => {
  worker = await startWorker();
  as = {
    referrer: await signIn(worker.base, 'referrer'),
    team: await signIn(worker.base, 'partnership_team'),
    otherReferrer: await signIn(worker.base, 'referrer', 'llr'),
    otherTeam: await signIn(worker.base, 'partnership_team', 'llr'),
  };
});
after(async () => { await worker?.stop(); });

test('a value is sealed as v2 and opens in its own row', async () => {
  const reference = await refer(validReferral());
  assert.match(stored(reference), /^v2\.[\w-]+\.[\w-]+$/);
  const res = await personal(reference);
  assert.equal(res.status, 200);
  assert.equal(res.body.children[0].name, CHILD_NAME);
});

test('copied to another row of the same partnership, a value does not open', async () => {
  const source = await refer(validReferral({ children: [{ name: OTHER_CHILD, legal_status: [] }] }));
  const target = await refer(validReferral());
  store(target, stored(source));
  const res = await personal(target);
  assert.notEqual(res.status, 200);
  assert.ok(!JSON.stringify(res.body).includes(OTHER_CHILD), "the other child's details never come out");
});

test('copied to another partnership, a value does not open', async () => {
  const source = await refer(validReferral({ children: [{ name: OTHER_CHILD, legal_status: [] }] }));
  const target = await refer(validReferral(), as.otherReferrer);
  store(target, stored(source));
  const res = await personal(target, as.otherTeam);
  assert.notEqual(res.status, 200);
  assert.ok(!JSON.stringify(res.body).includes(OTHER_CHILD));
});

test('a value sealed the old way still opens, and the daily job reseals it to its place', async () => {
  const reference = await refer(validReferral());
  const details = (await personal(reference)).body;
  // v1: AES-256-GCM under PII_KEY itself, no associated data (platform/sealed.rs before v2).
  const key = Buffer.from(/^PII_KEY=(.*)$/m.exec(readFileSync(join(root, '.dev.vars'), 'utf8'))[1].trim(), 'base64');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(details), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  store(reference, `v1.${iv.toString('base64url')}.${sealed.toString('base64url')}`);
  assert.deepEqual((await personal(reference)).body, details, 'a v1 value opens');

  const run = await fetch(`${worker.base}/__scheduled?cron=0+7+*+*+*`, { signal: AbortSignal.timeout(60_000) });
  assert.equal(run.status, 200);
  assert.match(stored(reference), /^v2\./, 'resealed');
  assert.deepEqual((await personal(reference)).body, details, 'the same details, now bound to their place');
  assert.equal(d1(worker, "SELECT count(*) AS n FROM cases WHERE substr(personal_data, 1, 3) <> 'v2.'")[0].n, 0, 'nothing left under the old seal');
});
