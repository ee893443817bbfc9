// The authorisation matrix: every route × every role × own or other
// partnership, asserting the status code. A case outside a person's scope
// answers 404 (its existence is not revealed); a permitted case with a
// forbidden action answers 403. "ok" means the request got past access
// control: 2xx, or 400/409 for the deliberately empty or stale bodies sent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { call, signIn, startWorker } from '../support/worker.mjs';

const ROLES = ['referrer', 'agency_lead', 'partnership_team', 'decision_maker', 'scrutineer', 'reviewer', 'strategic_leadership'];
const ALL = Object.fromEntries(ROLES.map((r) => [r, 'ok']));
const READERS = { referrer: 'ok', agency_lead: 404, partnership_team: 'ok', decision_maker: 'ok', scrutineer: 'ok', reviewer: 404, strategic_leadership: 'ok' };
const only = (allowed, otherwise = 403) => ({ ...Object.fromEntries(ROLES.map((r) => [r, otherwise])), ...Object.fromEntries(allowed.map((r) => [r, 'ok'])) });
const onCase = (allowed) => ({ ...only(allowed), agency_lead: 404, reviewer: 404 });

// [method, path, body, expected per KRSCP role, expected for the other partnership's team]
const ROUTES = (ref) => [
  ['GET', '/api/v1/cases', undefined, ALL, 'ok'],
  ['GET', '/api/v1/cases.csv', undefined, only(['partnership_team', 'decision_maker', 'scrutineer', 'strategic_leadership']), 'ok'],
  ['GET', `/api/v1/cases/${ref}`, undefined, READERS, 404],
  ['PATCH', `/api/v1/cases/${ref}`, { version: 999 }, onCase(['partnership_team']), 404],
  ['GET', `/api/v1/cases/${ref}/personal-details`, undefined, onCase(['partnership_team', 'decision_maker', 'scrutineer']), 404],
  ['GET', `/api/v1/cases/${ref}/timeline`, undefined, READERS, 404],
  ['GET', `/api/v1/cases/${ref}/notifications`, undefined, READERS, 404],
  ['POST', `/api/v1/cases/${ref}/events`, {}, onCase(['partnership_team']), 404],
  ['POST', `/api/v1/cases/${ref}/decisions/threshold`, {}, onCase(['partnership_team', 'decision_maker', 'scrutineer']), 404],
  ['POST', `/api/v1/cases/${ref}/decisions/rapid-review`, {}, onCase(['partnership_team', 'decision_maker', 'scrutineer']), 404],
  ['POST', `/api/v1/cases/${ref}/deadlines/notify_panel/extension`, {}, onCase(['partnership_team']), 404],
  ['GET', `/api/v1/cases/${ref}/information-requests`, undefined, READERS, 404],
  ['POST', `/api/v1/cases/${ref}/information-requests`, {}, onCase(['partnership_team']), 404],
  ['GET', `/api/v1/cases/${ref}/chronology`, undefined, onCase(['partnership_team', 'decision_maker', 'scrutineer']), 404],
  ['POST', '/api/v1/referrals', {}, only(['referrer', 'agency_lead', 'partnership_team', 'decision_maker']), 'ok'],
  ['GET', '/api/v1/my-work', undefined, ALL, 'ok'],
  ['GET', '/api/v1/partnership', undefined, ALL, 'ok'],
  ['POST', '/api/v1/partnership/agencies', {}, only(['partnership_team']), 'ok'],
  ['POST', '/api/v1/partnership/contacts', {}, only(['partnership_team']), 'ok'],
  ['PUT', '/api/v1/partnership/closure-days', {}, only(['partnership_team']), 'ok'],
  ['PUT', '/api/v1/partnership/playbook', {}, only(['partnership_team']), 'ok'],
];

let worker;
let reference;
const sessions = {};
before(async () => {
  worker = await startWorker();
  for (const role of ROLES) sessions[role] = await signIn(worker.base, role);
  sessions.other = await signIn(worker.base, 'partnership_team', 'llr');
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: sessions.referrer })).body.reference;
});
after(async () => { await worker?.stop(); });

const passed = (status) => (status >= 200 && status < 300) || status === 400 || status === 409;

test('every route × every role × own and other partnership', async () => {
  const failures = [];
  let checked = 0;
  for (const [method, path, body, expected, otherPartnership] of ROUTES(reference)) {
    for (const [who, want] of [...Object.entries(expected), ['other', otherPartnership]]) {
      const res = await call(worker.base, method, path, { json: body, headers: sessions[who] });
      const ok = want === 'ok' ? passed(res.status) : res.status === want;
      if (!ok) failures.push(`${method} ${path} as ${who}: expected ${want}, got ${res.status}`);
      checked += 1;
    }
    const anonymous = await call(worker.base, method, path, { json: body });
    if (anonymous.status !== 401) failures.push(`${method} ${path} without a session: expected 401, got ${anonymous.status}`);
    checked += 1;
  }
  assert.deepEqual(failures, []);
  assert.equal(checked, ROUTES(reference).length * (ROLES.length + 2));
});
