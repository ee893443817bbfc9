// API figures for the README: requests per second and p50/p99 latency under
// wrk (Debian) on loopback against `wrangler dev`, for health, the case
// matrix list and a filtered search (1,000 and 10,000 cases), a case read and
// a referral submit; and the same health figure for a hello-world workers-rs
// Worker built the same way (tools/hello-worker), the runtime's own floor.
// Prints figures; asserts nothing. Part of `make bench`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validReferral } from '../tests/support/referral.mjs';
import { launchBrowser, signInThroughPage } from '../tests/support/browser.mjs';
import { DEMO_PASSWORD, call, demoEmail, freePort, root, signIn, startWorker } from '../tests/support/worker.mjs';

const wrangler = join(root, 'node_modules/.bin/wrangler');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const DURATION = process.env.BENCH_SECONDS ?? '5';
const work = mkdtempSync(join(tmpdir(), 'sgcr-bench-'));

function wrk(url, { cookie, script } = {}) {
  const args = ['-t2', '-c8', `-d${DURATION}s`, '--latency'];
  if (cookie) args.push('-H', `Cookie: ${cookie}`);
  if (script) args.push('-s', script);
  const out = execFileSync('wrk', [...args, url]).toString();
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const ms = (p) => {
    const m = out.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`));
    const scale = { us: 0.001, ms: 1, s: 1000 }[m[2]];
    return Number(m[1]) * scale;
  };
  const errors = out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? '0';
  return { rps, p50: ms(50), p99: ms(99), errors };
}

const rows = [];
const row = (what, r) => {
  rows.push([what, r.rps.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), r.errors]);
  console.log(`${what}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, non-2xx ${r.errors}`);
};

/** Seeds `total` cases straight into D1 (the worker stopped), all sealed with one real referral's ciphertext. */
function seed(persist, sealed, total) {
  const themes = ['neglect', 'domestic_abuse', 'physical_abuse', 'online_harm', 'sexual_abuse'];
  const stages = ['referral_received', 'notified', 'rapid_review', 'lcspr', 'closed'];
  const lines = [];
  // D1 refuses statements over 100 KB: a few dozen rows, each with its sealed details, per INSERT.
  for (let start = 2; start <= total; start += 40) {
    const values = [];
    for (let i = start; i < Math.min(start + 40, total + 1); i += 1) {
      const ref = `KRSCP-2026-${String(i).padStart(5, '0')}`;
      const day = String((i % 28) + 1).padStart(2, '0');
      values.push(`('bench-${i}', 'demo-krscp', '${ref}', '${stages[i % 5]}', 'Agency ${i % 40}', '2026-10-${day}', '2026-10-${day}', '${sealed}', '["${themes[i % 5]}"]', '2026-10-${day}T09:00:00.000Z', '2026-10-${day}T09:00:00.000Z')`);
    }
    lines.push(`INSERT INTO cases (id, partnership_id, reference, stage, referrer_agency, incident_date, aware_on, personal_data, themes, received_at, updated_at) VALUES ${values.join(',\n')};`);
  }
  const file = join(work, `seed-${total}.sql`);
  writeFileSync(file, lines.join('\n'));
  execFileSync(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', persist, '--file', file], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

let worker = await startWorker();
const team = await signIn(worker.base, 'partnership_team');
const { reference } = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: team })).body;
const persist = worker.persist;
const sealed = JSON.parse(execFileSync(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', persist, '--json', '--command', `SELECT personal_data FROM cases WHERE reference = '${reference}'`], { cwd: root, env }).toString())[0].results[0].personal_data;

row('GET /api/v1/health', wrk(`${worker.base}/api/v1/health`));
row('GET /api/v1/cases/{reference} (a case page read)', wrk(`${worker.base}/api/v1/cases/${reference}`, team));
const lua = join(work, 'referral.lua');
writeFileSync(lua, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(JSON.stringify(validReferral()))}\nwrk.headers["Content-Type"] = "application/json"\n`);
row('POST /api/v1/referrals (a referral submit)', wrk(`${worker.base}/api/v1/referrals`, { ...team, script: lua }));

for (const total of [1000, 10000]) {
  await worker.stop({ keepState: true });
  execFileSync(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', persist, '--command', "DELETE FROM cases WHERE id LIKE 'bench-%'"], { cwd: root, env, stdio: 'ignore' });
  seed(persist, sealed, total);
  worker = await startWorker({ persist });
  const session = await signIn(worker.base, 'partnership_team');
  const count = (await call(worker.base, 'GET', '/api/v1/cases?per_page=1', { headers: session })).body.total;
  row(`GET /api/v1/cases, ${count} cases (first page of 50)`, wrk(`${worker.base}/api/v1/cases`, session));
  row(`GET /api/v1/cases?theme=neglect&q=Agency%207, ${count} cases (filter and search)`, wrk(`${worker.base}/api/v1/cases?theme=neglect&q=Agency%207`, session));
  const started = Date.now();
  const filtered = await call(worker.base, 'GET', '/api/v1/cases?stage=lcspr&theme=online_harm&sort=reference&order=asc', { headers: session });
  console.log(`one filtered case-matrix request, ${count} cases: ${Date.now() - started} ms (${filtered.body.total} matches)`);
  // In the browser: from choosing a filter to the filtered table on screen.
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInThroughPage(page, worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, '/cases');
    await page.getByRole('caption').filter({ hasText: /of \d+/ }).waitFor();
    const expected = (await call(worker.base, 'GET', '/api/v1/cases?theme=online_harm&per_page=1', { headers: session })).body.total;
    const clicked = Date.now();
    await page.getByLabel('Theme', { exact: true }).selectOption('online_harm');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/theme=online_harm/);
    await page.getByRole('caption').filter({ hasText: `Cases 1 to 50 of ${expected}` }).waitFor();
    console.log(`app: filtering the case matrix of ${count} cases, click to table: ${Date.now() - clicked} ms`);
  } finally {
    await browser.close();
  }
}
await worker.stop();

// The floor: the smallest Worker, built and served the same way.
execFileSync('bash', ['-c', `source scripts/wasm-env.sh && cd tools/hello-worker && CARGO_TARGET_DIR=${join(root, 'target')} worker-build --release`], { cwd: root, stdio: 'ignore' });
const port = await freePort();
const hello = spawn(wrangler, ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort()), '--show-interactive-dev-session=false',
  '--config', join(root, 'tools/hello-worker/wrangler.toml')], { cwd: join(root, 'tools/hello-worker'), env, detached: true, stdio: 'ignore' });
try {
  for (let i = 0; i < 100; i += 1) {
    try { if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break; } catch { /* starting */ }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  row('hello-world Worker (the runtime floor)', wrk(`http://127.0.0.1:${port}/`));
} finally {
  process.kill(-hello.pid, 'SIGTERM');
}

console.log('\n| request | req/s | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
