// Property-based fuzzing of the API from docs/openapi.json with schemathesis
// (PyPI), against the real worker on a fresh local D1, signed in as the
// partnership team: no 5xx, every response as documented. Part of `make fuzz`.
// Prints schemathesis's own summary (operations, generated requests, failures).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { validReferral } from '../tests/support/referral.mjs';
import { call, root, signIn, startWorker } from '../tests/support/worker.mjs';

const VERSION = '4.32.5';
const venv = join(root, '.venv-schemathesis');
const bin = join(venv, 'bin', 'schemathesis');
if (!existsSync(bin)) {
  console.log(`installing schemathesis ${VERSION} into .venv-schemathesis`);
  for (const [cmd, args] of [['python3', ['-m', 'venv', venv]], [join(venv, 'bin', 'pip'), ['install', '-q', `schemathesis==${VERSION}`]]]) {
    const r = spawnSync(cmd, args, { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const examples = process.env.SCHEMATHESIS_EXAMPLES ?? '30';
const worker = await startWorker({ vars: { NOTIFY_TRANSPORT: 'dev_mailbox' } });
let status = 1;
try {
  const team = await signIn(worker.base, 'partnership_team');
  // One real case so that operations on /cases/{reference} reach something.
  const { reference } = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: team })).body;
  console.log(`fuzzing ${worker.base} as the partnership team; a case to reach: ${reference}`);
  const run = spawnSync(bin, [
    'run', join(root, 'docs/openapi.json'),
    '--url', worker.base,
    '-H', `Cookie: ${team.cookie}`,
    // Signing out would end the session the rest of the run uses.
    '--exclude-method', 'DELETE',
    '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--max-examples', examples,
    '--workers', '2',
    '--report', 'junit', '--report-dir', join(root, 'tests/artifacts/schemathesis'),
  ], { stdio: 'inherit', env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
  status = run.status ?? 1;
} finally {
  await worker.stop();
}
process.exit(status);
