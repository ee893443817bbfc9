// App figures for the README: release wasm size (raw and gzip) and time to
// first render and to an interactive referral form in headless Chromium, on
// loopback and on a throttled slow-4G profile. Prints figures; asserts nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../tests/support/browser.mjs';
import { DEMO_PASSWORD, demoEmail, startWorker } from '../tests/support/worker.mjs';

const dist = new URL('../dist/', import.meta.url);
const wasm = readdirSync(dist).find((f) => f.endsWith('.wasm'));
const bytes = readFileSync(new URL(wasm, dist));
console.log(`app wasm: ${(bytes.length / 1024).toFixed(0)} KB raw, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(0)} KB gzip`);

const worker = await startWorker();
const browser = await launchBrowser();
try {
  for (const [name, network] of [
    ['loopback', null],
    ['slow 4G (400 KB/s down, 150 ms latency)', { offline: false, latency: 150, downloadThroughput: 400 * 1024, uploadThroughput: 150 * 1024 }],
  ]) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (network) await cdp.send('Network.emulateNetworkConditions', network);
    // Sign in first (cookie), so the form is the first thing rendered.
    await page.request.post(`${worker.base}/api/v1/session`, { data: { email: demoEmail('referrer'), password: DEMO_PASSWORD } });
    const start = Date.now();
    await page.goto(`${worker.base}/referrals/new`);
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    await page.getByLabel('Your name').waitFor();
    const interactive = Date.now() - start;
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    console.log(`${name}: first contentful paint ${paint.toFixed(0)} ms, referral form interactive ${interactive} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  await worker.stop();
}
