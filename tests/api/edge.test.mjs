// The edge: a body is counted as it arrives, so one without an end is refused
// at the limit rather than read for ever; every answer, API and app alike,
// tells the browser to use HTTPS only.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { signIn, startWorker } from '../support/worker.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

test('the API and the app both ask for HTTPS only', async () => {
  const hsts = /^max-age=63072000; includeSubDomains$/;
  assert.match((await fetch(`${worker.base}/api/v1/health`)).headers.get('strict-transport-security'), hsts);
  assert.match((await fetch(`${worker.base}/`)).headers.get('strict-transport-security'), hsts);
});

// Last: wrangler dev's local runtime can be slow to serve the next request after a refused open body.
test('a chunked body that never ends is refused once it passes 64 KiB', async () => {
  const { cookie } = await signIn(worker.base, 'referrer');
  const url = new URL('/api/v1/referrals', worker.base);
  const chunk = Buffer.alloc(4096, 'a');
  let sent = 0;
  const status = await new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'sec-fetch-site': 'same-origin' } }, (res) => {
      res.resume();
      resolve(res.statusCode);
      req.end('"}'); // the refused body may end now, so the runtime can close it tidily
    });
    req.on('error', () => {});
    req.write('{"referrer_name":"');
    // 96 KiB, then the body stays open: a server that waited for its end would never answer.
    for (let i = 0; i < 24; i += 1) {
      req.write(chunk);
      sent += chunk.length;
    }
    setTimeout(() => { req.destroy(); reject(new Error(`no answer while the body stayed open after ${sent} bytes`)); }, 15_000).unref();
  });
  assert.equal(status, 413);
});
