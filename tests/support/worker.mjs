// Starts the real Workers runtime (`wrangler dev --local`) on a fresh local D1
// for one test file, and stops exactly the processes it started.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(import.meta.url), '../../..');
const wrangler = join(root, 'node_modules/.bin/wrangler');
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_UPDATE_NOTIFIER: '1',
};

export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

function wranglerSync(args) {
  return execFileSync(wrangler, args, { cwd: root, env, stdio: 'pipe' });
}

/** What D1 holds at rest, read straight from a worker's local database: `d1(worker, sql)` returns the rows. */
export function d1(worker, sql) {
  const out = JSON.parse(wranglerSync(['d1', 'execute', 'DB', '--local', '--persist-to', worker.persist, '--json', '--command', sql]).toString());
  return out.flatMap((statement) => statement.results);
}

/**
 * A running worker: `base` URL, `logs()` of everything it printed, `stop()`.
 * A port picked as free can be taken before wrangler binds it (the runtime
 * opens ports of its own): then it tries again with new ports.
 */
export async function startWorker(options = {}) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startWorkerOnce(options);
    } catch (error) {
      // A port picked as free can be taken before the runtime binds it; workerd then fails to start.
      if (attempt >= 4 || !/Address already in use|Workers runtime failed to start/.test(String(error.message))) throw error;
    }
  }
}

async function startWorkerOnce({ persist: existing, vars = {}, port: wanted } = {}) {
  const persist = existing ?? mkdtempSync(join(tmpdir(), 'sgcr-d1-'));
  if (!existing) {
    wranglerSync(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
    for (const seed of ['seed/demo.sql', 'seed/second-partnership.sql']) {
      wranglerSync(['d1', 'execute', 'DB', '--local', '--persist-to', persist, '--file', seed]);
    }
  }
  // A restart can ask for the same port, as a browser page still points at it.
  const port = wanted ?? await freePort();
  const inspectorPort = await freePort();
  const child = spawn(
    wrangler,
    ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
      '--persist-to', persist, '--show-interactive-dev-session=false', '--log-level', 'info', '--test-scheduled',
      ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])],
    { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((ok) => child.once('exit', ok));

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      if (!existing) rmSync(persist, { recursive: true, force: true });
      throw new Error(`wrangler dev exited early:\n${output}`);
    }
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      process.kill(-child.pid, 'SIGKILL');
      throw new Error(`wrangler dev did not become healthy in 60 s:\n${output}`);
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }

  return {
    base,
    persist,
    logs: () => output,
    /** Stops the runtime; `keepState` leaves the local D1 and Durable Objects for a restart. */
    async stop({ keepState = false } = {}) {
      if (child.exitCode === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
        const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
        await exited;
        clearTimeout(timer);
      }
      if (!keepState) rmSync(persist, { recursive: true, force: true });
    },
  };
}

export const DEMO_PASSWORD = 'demo-password-2026';

/** Demo users by role, in the KRSCP demo partnership or the second (LLR) one. */
export function demoEmail(role, partnership = 'krscp') {
  const local = {
    referrer: 'referrer',
    agency_lead: 'agency.lead',
    partnership_team: 'team',
    decision_maker: 'decision.maker', // the local authority's partner
    decision_maker_police: 'decision.maker.police',
    decision_maker_health: 'decision.maker.health',
    scrutineer: 'scrutineer',
    reviewer: 'reviewer',
    strategic_leadership: 'leadership',
  }[role];
  if (!local) throw new Error(`no demo user for role ${role}`);
  return `${local}@${partnership}.demo`;
}

/** Signs in and returns the headers (the session cookie) to send with later calls. */
export async function signIn(base, role, partnership = 'krscp') {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoEmail(role, partnership), password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${role} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return { cookie };
}

/** JSON request helper: returns `{ status, headers, body }` with the body parsed when it is JSON. */
export async function call(base, method, path, { json, body, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['content-type'] = 'application/json';
  } else if (body !== undefined) {
    init.body = body;
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Asserts the error body of DEVELOPERS.md and returns it. */
export function errorBody(assert, response, status, code) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  const { error } = response.body;
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  assert.ok(Array.isArray(error.fields));
  return error;
}
