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
const REVIEW_READERS = { ...READERS, reviewer: 'ok' };
// A referrer reads the stage and dates of their own referral (the case and its timeline), not the working record.
const RECORD_READERS = { ...READERS, referrer: 403 };
const REVIEW_RECORD_READERS = { ...REVIEW_READERS, referrer: 403 };
const onReview = (allowed) => ({ ...only(allowed), agency_lead: 404 });

// [method, path, body, expected per KRSCP role, expected for the other partnership's team]
const ROUTES = (ref, l = {}) => [
  ['GET', '/api/v1/cases', undefined, ALL, 'ok'],
  ['GET', '/api/v1/figures', undefined, only(['partnership_team', 'decision_maker', 'scrutineer', 'strategic_leadership']), 'ok'],
  ['GET', '/api/v1/cases.csv', undefined, only(['partnership_team', 'decision_maker', 'scrutineer', 'strategic_leadership']), 'ok'],
  ['GET', `/api/v1/cases/${ref}`, undefined, READERS, 404],
  ['PATCH', `/api/v1/cases/${ref}`, { version: 999 }, onCase(['partnership_team']), 404],
  ['GET', `/api/v1/cases/${ref}/personal-details`, undefined, onCase(['partnership_team', 'decision_maker', 'scrutineer']), 404],
  ['GET', `/api/v1/cases/${ref}/timeline`, undefined, READERS, 404],
  ['GET', `/api/v1/cases/${ref}/notifications`, undefined, RECORD_READERS, 404],
  ['POST', `/api/v1/cases/${ref}/events`, {}, onCase(['partnership_team']), 404],
  ['POST', `/api/v1/cases/${ref}/decisions/threshold`, {}, onCase(['partnership_team', 'decision_maker', 'scrutineer']), 404],
  ['POST', `/api/v1/cases/${ref}/decisions/rapid-review`, {}, onCase(['partnership_team', 'decision_maker', 'scrutineer']), 404],
  ['POST', `/api/v1/cases/${ref}/deadlines/notify_panel/extension`, {}, onCase(['partnership_team']), 404],
  ['GET', `/api/v1/cases/${ref}/information-requests`, undefined, RECORD_READERS, 404],
  ['POST', `/api/v1/cases/${ref}/information-requests`, {}, onCase(['partnership_team']), 404],
  ['GET', `/api/v1/cases/${ref}/rapid-review-report`, undefined, RECORD_READERS, 404],
  ['PUT', `/api/v1/cases/${ref}/rapid-review-report`, {}, onCase(['partnership_team']), 404],
  ['POST', `/api/v1/cases/${ref}/rapid-review-report/sign-off`, {}, onCase(['decision_maker']), 404],
  ['GET', `/api/v1/cases/${ref}/documents/panel-notification.html`, undefined, RECORD_READERS, 404],
  ['GET', `/api/v1/cases/${ref}/chronology`, undefined, onCase(['partnership_team', 'decision_maker', 'scrutineer']), 404],
  ['POST', '/api/v1/referrals', {}, only(['referrer', 'agency_lead', 'partnership_team', 'decision_maker']), 'ok'],
  ['GET', '/api/v1/my-work', undefined, ALL, 'ok'],
  ['GET', '/api/v1/partnership', undefined, ALL, 'ok'],
  ['POST', '/api/v1/partnership/agencies', {}, only(['partnership_team']), 'ok'],
  ['POST', '/api/v1/partnership/contacts', {}, only(['partnership_team']), 'ok'],
  ['PUT', '/api/v1/partnership/closure-days', {}, only(['partnership_team']), 'ok'],
  ['PUT', '/api/v1/partnership/playbook', {}, only(['partnership_team']), 'ok'],
  // The LCSPR case: the demo reviewer is commissioned for it; no agency was asked anything.
  ['GET', `/api/v1/cases/${l.ref}/meetings`, undefined, REVIEW_RECORD_READERS, 404],
  ['POST', `/api/v1/cases/${l.ref}/meetings`, {}, onReview(['partnership_team']), 404],
  ['PUT', `/api/v1/cases/${l.ref}/meetings/${l.meeting}`, {}, onReview(['partnership_team']), 404],
  ['GET', `/api/v1/cases/${l.ref}/meetings/${l.meeting}/invitation.ics`, undefined, REVIEW_RECORD_READERS, 404],
  ['GET', `/api/v1/cases/${l.ref}/review`, undefined, REVIEW_RECORD_READERS, 404],
  ['PUT', `/api/v1/cases/${l.ref}/review`, {}, onReview(['partnership_team']), 404],
  ['GET', `/api/v1/cases/${l.ref}/review/family-engagement`, undefined, onReview(['partnership_team', 'decision_maker', 'scrutineer', 'reviewer']), 404],
  ['POST', `/api/v1/cases/${l.ref}/review/family-engagement`, {}, onReview(['partnership_team', 'reviewer']), 404],
  ['GET', `/api/v1/cases/${l.ref}/review/episodes`, undefined, onReview(['partnership_team', 'decision_maker', 'scrutineer', 'reviewer']), 404],
  ['POST', `/api/v1/cases/${l.ref}/review/episodes`, {}, onReview(['partnership_team', 'reviewer']), 404],
  ['POST', `/api/v1/cases/${l.ref}/review/drafts`, {}, onReview(['partnership_team', 'reviewer']), 404],
  ['POST', `/api/v1/cases/${l.ref}/review/drafts/${l.draft}/approval`, {}, onReview(['partnership_team', 'decision_maker', 'strategic_leadership']), 404],
  ['GET', `/api/v1/cases/${l.ref}/recommendations`, undefined, REVIEW_RECORD_READERS, 404],
  ['POST', `/api/v1/cases/${l.ref}/recommendations`, {}, onReview(['partnership_team']), 404],
  ['POST', `/api/v1/cases/${l.ref}/recommendations/${l.recommendation}/actions`, {}, onReview(['partnership_team']), 404],
  ['GET', '/api/v1/actions', undefined, ALL, 'ok'],
  // The action is owned by the police: their agency lead reports on it without seeing the case.
  ['PATCH', `/api/v1/actions/${l.action}`, {}, only(['partnership_team', 'agency_lead']), 404],
];

let worker;
let reference;
let lcspr;
const sessions = {};
before(async () => {
  worker = await startWorker();
  for (const role of ROLES) sessions[role] = await signIn(worker.base, role);
  sessions.other = await signIn(worker.base, 'partnership_team', 'llr');
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: sessions.referrer })).body.reference;
  lcspr = await lcsprCase();
});

const inDays = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** A second case taken to an LCSPR with the demo reviewer commissioned, a meeting, a draft and an action plan. */
async function lcsprCase() {
  const team = sessions.partnership_team;
  const post = async (path, json, status = 201) => {
    const res = await call(worker.base, path.startsWith('PUT ') ? 'PUT' : 'POST', `/api/v1${path.replace(/^PUT /, '')}`, { json, headers: team });
    assert.equal(res.status, status, `${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const ref = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: sessions.referrer })).body.reference;
  await post(`/cases/${ref}/decisions/rapid-review`, {
    option: 'lcspr', rationale: 'Learning about information sharing across agencies', equality_and_racism: 'Considered: no effect found',
    key_lines_of_enquiry: ['Information sharing'], findings: { improvements_needed: true },
  });
  const review = (await call(worker.base, 'GET', `/api/v1/cases/${ref}/review`, { headers: team })).body;
  await post(`PUT /cases/${ref}/review`, { version: review.version, pseudonym: 'Child M', reviewer_user_id: 'demo-krscp-user-reviewer', conflicts_declared: true }, 200);
  const meeting = (await post(`/cases/${ref}/meetings`, { kind: 'learning_event', on: inDays(7), time: '10:00' })).id;
  const draft = (await post(`/cases/${ref}/review/drafts`, { label: 'Draft 1', received_on: '2026-11-01' })).id;
  const recommendation = (await post(`/cases/${ref}/recommendations`, { text: 'Share domestic abuse notifications' })).id;
  const action = (await post(`/cases/${ref}/recommendations/${recommendation}/actions`, {
    description: 'Audit twenty notifications for timely sharing', measure: '90% shared in 24 hours', owner_agency_id: 'demo-krscp-met-police', due_on: inDays(365),
  })).id;
  return { ref, meeting, draft, recommendation, action };
}
after(async () => { await worker?.stop(); });

const passed = (status) => (status >= 200 && status < 300) || status === 400 || status === 409;

test('every route × every role × own and other partnership', async () => {
  const failures = [];
  let checked = 0;
  for (const [method, path, body, expected, otherPartnership] of ROUTES(reference, lcspr)) {
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
  assert.equal(checked, ROUTES(reference, lcspr).length * (ROLES.length + 2));
});

test('decision texts and terms of reference reach only the roles that may read personal data', async () => {
  // [role, what the LCSPR case's report and review show them]: the texts, the decision without them, or the status.
  const expected = {
    referrer: 403, agency_lead: 404, partnership_team: 'texts', decision_maker: 'texts', scrutineer: 'texts', reviewer: 'texts', strategic_leadership: 'no texts', other: 404,
  };
  const seen = {};
  for (const who of Object.keys(expected)) {
    const report = await call(worker.base, 'GET', `/api/v1/cases/${lcspr.ref}/rapid-review-report`, { headers: sessions[who] });
    const review = await call(worker.base, 'GET', `/api/v1/cases/${lcspr.ref}/review`, { headers: sessions[who] });
    if (report.status !== 200 || review.status !== 200) {
      seen[who] = report.status === review.status ? report.status : `${report.status}/${review.status}`;
    } else {
      const texts = [report.body.decision.texts?.rationale, report.body.decision.texts?.equality_and_racism, review.body.terms_of_reference, review.body.key_lines_of_enquiry];
      seen[who] = texts.every((t) => t != null) ? 'texts' : texts.every((t) => t == null) ? 'no texts' : `some texts: ${JSON.stringify(texts)}`;
    }
  }
  assert.deepEqual(seen, expected);
});
