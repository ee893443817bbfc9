// The whole life of a case, end to end against wrangler dev: referral →
// threshold decision → notification → rapid review (requests, returns,
// meeting with quorum, submission, panel response) → LCSPR (pseudonym,
// reviewer, terms of reference, family engagement, episodes, drafts and
// approvals, publication) → action plan → every action complete → closed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CHILD_NAME, validReferral } from '../support/referral.mjs';
import { call, errorBody, signIn, startWorker } from '../support/worker.mjs';

const POLICE = 'demo-krscp-met-police';
const SOCIAL_CARE = 'demo-krscp-afc-csc';
const ICB = 'demo-krscp-swl-icb';
const HOSPITAL = 'demo-krscp-kingston-hospital';
const REVIEWER = 'demo-krscp-user-reviewer';

let worker;
let as;
let reference;
before(async () => {
  worker = await startWorker();
  as = {};
  for (const role of ['referrer', 'agency_lead', 'partnership_team', 'decision_maker', 'reviewer', 'strategic_leadership']) as[role] = await signIn(worker.base, role);
});
after(async () => { await worker?.stop(); });

const api = (method, path, json, who = as.partnership_team, headers = {}) => call(worker.base, method, `/api/v1${path}`, { json, headers: { ...who, ...headers } });
const ok = (res, status = 200) => { assert.equal(res.status, status, JSON.stringify(res.body)); return res.body; };
const iso = (d) => d.toISOString().slice(0, 10);
const today = iso(new Date());
const daysFromToday = (n) => iso(new Date(Date.now() + n * 86_400_000));
const timeline = async () => ok(await api('GET', `/cases/${reference}/timeline`));
const stage = async () => (await timeline()).stage;
const event = (kind, on = today, who = as.partnership_team) => api('POST', `/cases/${reference}/events`, { kind, on }, who);

test('referral to closure', async () => {
  // 1. Any agency notifies the partnership.
  reference = ok(await api('POST', '/referrals', validReferral({ aware_on: daysFromToday(-1), incident_date: daysFromToday(-2) }), as.referrer, { 'Idempotency-Key': 'happy-path-referral-1' }), 201).reference;
  assert.match(reference, /^KRSCP-\d{4}-\d{4}$/);

  // 2. The partners decide to notify the national panel, and do.
  const answers = { outcome: 'seriously_harmed', abuse_or_neglect: 'known', location: 'in_area', age_years: 4, looked_after: false };
  ok(await api('POST', `/cases/${reference}/decisions/threshold`, { answers, outcome: 'notify' }, as.decision_maker), 201);
  ok(await event('notified'), 201);
  assert.equal(await stage(), 'notified');

  // 3. Rapid review: requests, returns, the meeting, submission, the panel's reply.
  for (const agency_id of [POLICE, HOSPITAL]) ok(await api('POST', `/cases/${reference}/information-requests`, { agency_id, kind: 'chronology' }), 201);
  const policeRequest = ok(await api('GET', `/cases/${reference}/information-requests`, undefined, as.agency_lead)).requests[0];
  ok(await api('POST', `/information-requests/${policeRequest.id}/return`, { entries: [{ occurred_on: daysFromToday(-40), entry: 'Domestic abuse call-out' }] }, as.agency_lead), 201);
  const meeting = ok(await api('POST', `/cases/${reference}/meetings`, {
    kind: 'rapid_review', on: today, time: '00:00', location: 'Guildhall, Kingston',
    attendees: [
      { agency_id: SOCIAL_CARE, name: 'Dana Decision-Maker', role_title: 'Director of Children\'s Services', decision_maker: true },
      { agency_id: POLICE, name: 'DCI Grey', role_title: 'Detective Chief Inspector', decision_maker: true },
    ],
  }), 201);
  assert.equal(meeting.quorate, false, 'two of three partners: not quorate under KRSCP/LLR-style rules');
  const ics = await call(worker.base, 'GET', `/api/v1/cases/${reference}/meetings/${meeting.id}/invitation.ics`, { headers: as.agency_lead });
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /text\/calendar/);
  assert.ok(ics.body.includes(`SUMMARY:Rapid review meeting: ${reference}`) && !ics.body.includes(CHILD_NAME));
  const held = ok(await api('PUT', `/cases/${reference}/meetings/${meeting.id}`, {
    version: meeting.version, held: true, notes: `Discussed ${CHILD_NAME}'s injuries`,
    attendees: [
      ...meeting.attendees.map(({ agency_id, name, role_title, decision_maker }) => ({ agency_id, name, role_title, decision_maker })),
      { agency_id: ICB, name: 'Dr Green', role_title: 'Designated Nurse', decision_maker: true },
    ],
  }));
  assert.equal(held.quorate, true, held.quorum_note);
  assert.ok((await timeline()).events.some((e) => e.kind === 'meeting_held'));
  ok(await event('rapid_review_submitted'), 201);
  ok(await event('panel_response_received'), 201);

  // 4. The outcome: an LCSPR, which starts the 6-month clock.
  ok(await api('POST', `/cases/${reference}/decisions/rapid-review`, {
    option: 'lcspr',
    rationale: 'Learning about information sharing between health and police',
    equality_and_racism: 'No evidence that protected characteristics affected the response',
    key_lines_of_enquiry: ['Information sharing', 'Voice of the child', 'Risk assessment'],
    findings: { improvements_needed: true, agencies_working_together_concerns: true },
  }), 201);
  assert.equal(await stage(), 'lcspr');
  errorBody(assert, await api('GET', `/cases/${reference}`, undefined, as.reviewer), 404, 'not_found');

  // 5. The LCSPR: pseudonym, reviewer, terms of reference, publication plan.
  let review = ok(await api('GET', `/cases/${reference}/review`));
  assert.equal(review.decided_on, today);
  const surname = CHILD_NAME.split(' ')[1];
  let error = errorBody(assert, await api('PUT', `/cases/${reference}/review`, { version: review.version, pseudonym: `Child ${surname}` }), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['pseudonym'], 'a pseudonym may not give away the child\'s name');
  const details = {
    version: review.version,
    pseudonym: 'Child Q',
    reviewer_user_id: REVIEWER,
    reviewer_independent: true,
    expressions_of_interest: 3,
    conflicts_declared: true,
    methodology: 'Systems approach with a practitioner learning event',
    terms_of_reference: { period_from: daysFromToday(-365), period_to: daysFromToday(-2), agencies: [POLICE, HOSPITAL, SOCIAL_CARE], family_involvement: 'Mother invited by letter' },
    key_lines_of_enquiry: ['Information sharing', 'Voice of the child', 'Risk assessment'],
    // About four months on, and a working day whatever today is (a weekend would rightly warn).
    planned_publication_on: (await call(worker.base, 'GET', `/api/v1/calendar/due?from=${daysFromToday(0)}&n=85&unit=working_days_after`)).body.due,
  };
  review = ok(await api('PUT', `/cases/${reference}/review`, details));
  assert.equal(review.pseudonym, 'Child Q');
  assert.equal(review.reviewer_name, 'Robin Reviewer');
  assert.deepEqual(review.warnings, []);
  errorBody(assert, await api('PUT', `/cases/${reference}/review`, details), 409, 'conflict');
  const summary = ok(await api('GET', `/cases/${reference}`));
  assert.equal(summary.pseudonym, 'Child Q', 'the case matrix shows the pseudonym');
  let t = await timeline();
  assert.ok(t.events.some((e) => e.kind === 'reviewer_appointed'));
  assert.equal(t.deadlines.find((d) => d.step_key === 'report_to_panel').due, review.notice_by, '7 working days before the planned publication');
  ok(await event('terms_of_reference_agreed'), 201);

  // The commissioned reviewer now reaches this case, and only through this review.
  ok(await api('GET', `/cases/${reference}`, undefined, as.reviewer));
  ok(await api('POST', `/cases/${reference}/review/family-engagement`, { occurred_on: today, kind: 'letter', entry: `Letter to ${CHILD_NAME}'s mother` }, as.reviewer), 201);
  ok(await api('POST', `/cases/${reference}/review/episodes`, { occurred_on: daysFromToday(-40), title: 'The domestic abuse call-out', analysis: 'Risk assessed without the health visitor\'s knowledge' }, as.reviewer), 201);
  const family = ok(await api('GET', `/cases/${reference}/review/family-engagement`, undefined, as.reviewer)).entries;
  assert.equal(family[0].entry, `Letter to ${CHILD_NAME}'s mother`);
  errorBody(assert, await api('GET', `/cases/${reference}/review/family-engagement`, undefined, as.strategic_leadership), 403, 'forbidden');
  const draft = ok(await api('POST', `/cases/${reference}/review/drafts`, { label: 'Draft 1', received_on: today }, as.reviewer), 201);
  errorBody(assert, await api('POST', `/cases/${reference}/review/drafts/${draft.id}/approval`, { level: 'executive', approved_on: today }, as.strategic_leadership), 400, 'validation_failed');
  errorBody(assert, await api('POST', `/cases/${reference}/review/drafts/${draft.id}/approval`, { level: 'subgroup', approved_on: today }, as.reviewer), 403, 'forbidden');
  ok(await api('POST', `/cases/${reference}/review/drafts/${draft.id}/approval`, { level: 'subgroup', approved_on: today }));
  review = ok(await api('POST', `/cases/${reference}/review/drafts/${draft.id}/approval`, { level: 'executive', approved_on: today }, as.strategic_leadership));
  assert.equal(review.drafts[0].executive_approved_on, today);

  // 6. Publication: the report goes to the panel, Ofsted and DfE first.
  ok(await event('report_sent_to_panel'), 201);
  ok(await event('published'), 201);
  assert.equal(await stage(), 'published');
  t = await timeline();
  assert.equal(t.deadlines.find((d) => d.step_key === 'publish_lcspr').status, 'met');

  // 7. The action plan: SMART actions with owner agencies, completed with evidence.
  const rec = ok(await api('POST', `/cases/${reference}/recommendations`, { text: 'Police share domestic abuse notifications with health visiting within 24 hours', theme: 'domestic_abuse' }, as.partnership_team, { 'Idempotency-Key': 'rec-happy-path-1' }), 201);
  const again = await api('POST', `/cases/${reference}/recommendations`, { text: 'Police share domestic abuse notifications with health visiting within 24 hours', theme: 'domestic_abuse' }, as.partnership_team, { 'Idempotency-Key': 'rec-happy-path-1' });
  assert.equal(again.status, 201);
  assert.equal(again.body.id, rec.id, 'a retried submission returns the first result');
  const actionBody = (owner_agency_id) => ({ description: 'Audit 20 notifications for timely sharing with health visiting', measure: '90% shared within 24 hours', owner_agency_id, due_on: daysFromToday(60) });
  const first = ok(await api('POST', `/cases/${reference}/recommendations/${rec.id}/actions`, actionBody(POLICE)), 201);
  const second = ok(await api('POST', `/cases/${reference}/recommendations/${rec.id}/actions`, actionBody(HOSPITAL)), 201);
  const plan = ok(await api('GET', `/cases/${reference}/recommendations`));
  assert.equal(plan.recommendations[0].actions.length, 2);
  assert.equal(plan.recommendations.length, 1);
  const mine = ok(await api('GET', '/actions', undefined, as.agency_lead)).actions;
  assert.deepEqual(mine.map((a) => a.owner_agency_id), [POLICE], 'an agency lead sees their own agency\'s actions');
  const policeAction = mine[0];
  error = errorBody(assert, await api('PATCH', `/actions/${policeAction.id}`, { version: policeAction.version, status: 'complete' }, as.agency_lead), 400, 'validation_failed');
  assert.deepEqual(error.fields.map((f) => f.field), ['evidence']);
  ok(await api('PATCH', `/actions/${policeAction.id}`, { version: policeAction.version, status: 'complete', evidence: 'Audit of 20 notifications: 19 shared in time' }, as.agency_lead));
  errorBody(assert, await api('PATCH', `/actions/${second.id}`, { version: 1, status: 'in_progress' }, as.agency_lead), 403, 'forbidden');
  assert.ok(!(await timeline()).events.some((e) => e.kind === 'actions_completed'), 'one action still open');
  ok(await api('PATCH', `/actions/${second.id}`, { version: 1, status: 'complete', evidence: 'Health visiting audit, all shared' }));
  assert.ok((await timeline()).events.some((e) => e.kind === 'actions_completed'), 'the last action completes the plan');
  assert.equal(first.plan.open_actions, 1);

  // 8. Closed.
  ok(await event('closed'), 201);
  assert.equal(await stage(), 'closed');
  const matrix = await call(worker.base, 'GET', '/api/v1/cases', { headers: as.partnership_team });
  assert.ok(!JSON.stringify(matrix.body).includes(CHILD_NAME) && !JSON.stringify(matrix.body).includes(surname));
});
