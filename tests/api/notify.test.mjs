// The GOV.UK Notify transport against a local server that checks each request
// exactly as Notify's API expects: path, a JWT (HS256) with iss = service id
// and a fresh iat, signed with the key's secret, and the body. Nothing leaves
// the machine. A failure is retried and shown on the case.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { PERSONAL_STRINGS, validReferral } from '../support/referral.mjs';
import { launchBrowser, newPage, signInThroughPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, call, demoEmail, freePort, signIn, startWorker } from '../support/worker.mjs';

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const TEMPLATE_ID = 'f33517ff-2a88-4f6e-b855-c550268ce08a';
const API_KEY = `krscp_test-${SERVICE_ID}-${SECRET}`;

const received = [];
let failNext = 1;
let answerAfterMs = 0; // a slow Notify, to hold a delivery run open
let server;
let worker;

function verifyJwt(header) {
  const token = header?.replace(/^Bearer /, '') ?? '';
  const [h, c, s] = token.split('.');
  const expected = createHmac('sha256', SECRET).update(`${h}.${c}`).digest('base64url');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url')),
    claims: JSON.parse(Buffer.from(c, 'base64url')),
    signatureValid: s === expected,
  };
}

before(async () => {
  const port = await freePort();
  server = createServer((req, res) => {
    // One connection per request: a kept-alive socket that this server closes
    // while the runtime reuses it would make the retry's outcome a race.
    res.setHeader('connection', 'close');
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', async () => {
      if (answerAfterMs) await new Promise((ok) => setTimeout(ok, answerAfterMs));
      received.push({ method: req.method, url: req.url, jwt: verifyJwt(req.headers.authorization), contentType: req.headers['content-type'], body: JSON.parse(body) });
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"error":"Exception","message":"Internal server error"}]}');
      } else {
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'n1', reference: null, content: {}, template: {} }));
      }
    });
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  worker = await startWorker({
    vars: {
      NOTIFY_TRANSPORT: 'govuk_notify',
      NOTIFY_BASE_URL: `http://127.0.0.1:${port}`,
      NOTIFY_API_KEY: API_KEY,
      NOTIFY_TEMPLATE_ID: TEMPLATE_ID,
      NOTIFY_RETRY_BASE_SECONDS: '2', // first retry after 4 s
    },
  });
});
after(async () => {
  await worker?.stop();
  server?.close();
});

const until = async (check) => {
  for (let i = 0; i < 50 && !check(); i += 1) await new Promise((ok) => setTimeout(ok, 100));
};

test('a referral is delivered through GOV.UK Notify, retried after a failure, and logged on the case', async () => {
  try {
    await deliveredAndRetried();
  } catch (error) {
    console.error(`the worker printed:\n${worker.logs().slice(-6000)}`); // what CI needs to tell a hang from a refusal
    throw error;
  }
});

async function deliveredAndRetried() {
  const referrer = await signIn(worker.base, 'referrer');
  const team = await signIn(worker.base, 'partnership_team');
  const started = Math.floor(Date.now() / 1000);
  const { reference } = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: referrer })).body;
  await until(() => received.length >= 1);
  assert.equal(received.length, 1, 'delivered after the response, without waiting for a cron');

  const log = async () => (await call(worker.base, 'GET', `/api/v1/cases/${reference}/notifications`, { headers: team })).body.notifications;
  let [entry] = await log();
  assert.deepEqual([entry.status, entry.attempts, entry.last_error], ['failed', 1, 'GOV.UK Notify answered 500'], 'the failure is shown on the case');

  // The person on the case page sees it too, with the reason and that it will be tried again.
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    await signInThroughPage(page, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, `/cases/${reference}`);
    await page.getByText('Not delivered yet (attempt 1 of 5); it will be tried again').waitFor();
    await page.getByText('Reason: GOV.UK Notify answered 500').waitFor();
  } finally {
    await browser.close();
  }

  await new Promise((ok) => setTimeout(ok, 4500)); // the backoff
  const res = await fetch(`${worker.base}/__scheduled?cron=*/5+*+*+*+*`, { signal: AbortSignal.timeout(60_000) });
  assert.equal(res.status, 200);
  await until(() => received.length >= 2);
  [entry] = await log();
  assert.deepEqual([entry.status, entry.attempts], ['sent', 2], 'retried and delivered');

  for (const request of received) {
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v2/notifications/email');
    assert.equal(request.contentType, 'application/json');
    assert.deepEqual(request.jwt.header, { typ: 'JWT', alg: 'HS256' });
    assert.equal(request.jwt.claims.iss, SERVICE_ID);
    assert.ok(Math.abs(request.jwt.claims.iat - started) < 60, 'iat is now');
    assert.ok(request.jwt.signatureValid, 'signed with the secret key');
    assert.deepEqual(Object.keys(request.body).sort(), ['email_address', 'personalisation', 'reference', 'template_id']);
    assert.equal(request.body.email_address, 'team@krscp.demo');
    assert.equal(request.body.template_id, TEMPLATE_ID);
    assert.equal(request.body.personalisation.subject, `New serious incident referral ${reference}`);
    const sent = JSON.stringify(request.body);
    for (const personal of PERSONAL_STRINGS) assert.ok(!sent.includes(personal), `Notify was sent ${personal}`);
  }
}

const sentFor = (reference) => received.filter((r) => r.body.personalisation.subject.includes(reference));
const scheduledRun = () => fetch(`${worker.base}/__scheduled?cron=*/5+*+*+*+*`, { signal: AbortSignal.timeout(60_000) }).then((r) => r.text());

test('runs at the same time deliver each message exactly once', async () => {
  const referrer = await signIn(worker.base, 'referrer');
  answerAfterMs = 1500;
  try {
    const { reference } = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: referrer })).body;
    // The run after the response is waiting on Notify; four more start meanwhile.
    await Promise.all([1, 2, 3, 4].map(() => scheduledRun()));
    await until(() => sentFor(reference).length >= 1);
    await new Promise((ok) => setTimeout(ok, 2000));
    assert.equal(sentFor(reference).length, 1, 'one message, one delivery');
  } finally {
    answerAfterMs = 0;
  }
});

test('an anonymous request never starts a delivery run', async () => {
  const referrer = await signIn(worker.base, 'referrer');
  failNext = 1;
  const { reference } = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: referrer })).body;
  await until(() => sentFor(reference).length >= 1);
  assert.equal(sentFor(reference).length, 1, 'tried once and failed');
  await new Promise((ok) => setTimeout(ok, 4500)); // due again
  const answers = { outcome: 'seriously_harmed', abuse_or_neglect: 'known', location: 'in_area', age_years: 4, looked_after: false, aware_on: '2026-11-03' };
  const check = await call(worker.base, 'POST', '/api/v1/decisions/notification', { json: answers });
  assert.equal(check.status, 200, JSON.stringify(check.body));
  await new Promise((ok) => setTimeout(ok, 1500));
  assert.equal(sentFor(reference).length, 1, 'the public threshold check made the worker call nobody');
  await scheduledRun();
  await until(() => sentFor(reference).length >= 2);
  assert.equal(sentFor(reference).length, 2, 'the scheduled run retries it');
});
