// docs/openapi.json must describe what the running Worker serves.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { call, root, startWorker } from '../support/worker.mjs';

const spec = JSON.parse(readFileSync(join(root, 'docs/openapi.json'), 'utf8'));
const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

function routesInSpec() {
  const routes = new Set();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS.filter((m) => item[m])) routes.add(`${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`);
  }
  return routes;
}

// That every route of the Worker's table is documented, and every documented route is in the
// table, is checked natively against the table itself: `api-worker/src/http/routes.rs` (cargo test).

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

test('every documented operation is served: never a 404 for the path or a 405 for the method', async () => {
  for (const route of routesInSpec()) {
    const [method, template] = route.split(' ');
    const path = template.replaceAll("{}", "KRSCP-2026-0001");
    const res = await call(worker.base, method, path, method === 'GET' || method === 'DELETE' ? {} : { json: {} });
    assert.notEqual(res.status, 405, `${route} answered 405`);
    if (!template.includes('{}')) assert.notEqual(res.status, 404, `${route} answered 404`);
    const specPath = Object.keys(spec.paths).find((p) => p.replace(/\{[^}]+\}/g, '{}') === template);
    const documented = Object.keys(spec.paths[specPath]?.[method.toLowerCase()]?.responses ?? {});
    assert.ok(documented.includes(String(res.status)), `${route} answered ${res.status}, which is not documented (${documented})`);
  }
});
