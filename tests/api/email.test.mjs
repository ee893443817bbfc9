// The Cloudflare Email transport (NOTIFY_TRANSPORT=cloudflare_email): wrangler
// dev's send_email emulation writes each message it is given to a file, which
// the test reads back: a well-formed message, to the right person, no personal data.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { PERSONAL_STRINGS, validReferral } from '../support/referral.mjs';
import { call, signIn, startWorker } from '../support/worker.mjs';

let worker;
before(async () => {
  worker = await startWorker({ vars: { NOTIFY_TRANSPORT: 'cloudflare_email', NOTIFY_FROM: 'noreply@krscp.demo', NOTIFY_RETRY_BASE_SECONDS: '0' } });
});
after(async () => { await worker?.stop(); });

const written = () => [...worker.logs().matchAll(/send_email binding called with the following message:\s+(\S+\.eml)/g)].map((m) => readFileSync(m[1], 'utf8'));

test('a new referral is sent through the send_email binding as a plain-text message', async () => {
  const res = await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: await signIn(worker.base, 'referrer') });
  assert.equal(res.status, 201);
  const reference = res.body.reference;
  let messages = [];
  for (let i = 0; i < 50 && messages.length === 0; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    messages = written();
  }
  assert.equal(messages.length, 1);
  const split = messages[0].indexOf('\r\n\r\n');
  const [head, body] = [messages[0].slice(0, split), messages[0].slice(split + 4)];
  assert.match(head, /^From: noreply@krscp\.demo\r\nTo: team@krscp\.demo\r\nSubject: New serious incident referral KRSCP-\d{4}-\d{4}\r\n/);
  assert.match(head, /\r\nMessage-ID: <[0-9a-f]+@krscp\.demo>\r\n/);
  assert.ok(body.includes(`/cases/${reference}`), 'the message links to the case');
  for (const personal of PERSONAL_STRINGS) assert.ok(!messages[0].includes(personal), `the message contains ${personal}`);
  const log = (await call(worker.base, 'GET', `/api/v1/cases/${reference}/notifications`, { headers: await signIn(worker.base, 'partnership_team') })).body.notifications;
  assert.deepEqual(log.map((n) => [n.recipient, n.status]), [['team@krscp.demo', 'sent']], 'the delivery is logged on the case');
});
