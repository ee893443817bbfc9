// Decision texts are free text about a family: the rapid review rationale,
// the answer on racism, inequality and protected characteristics, the key
// lines of enquiry, and the terms of reference. They are sealed at rest, read
// only by roles that may read personal data, and each read is audited. A
// referrer reads the stage and dates of their own referral, nothing more.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validReferral } from '../support/referral.mjs';
import { call, d1, errorBody, signIn, startWorker } from '../support/worker.mjs';

const RATIONALE = 'Rationale-Q7: learning about how concerns were shared';
const EQUALITY = 'Equality-Q7: the family needed an interpreter at the GP';
const KLOE = 'Kloe-Q7: how agencies shared concerns';
const FAMILY = 'Family-Q7: mother to be seen at home with an advocate';
const PARALLEL = 'Parallel-Q7: a criminal investigation is open';
const TEXTS = [RATIONALE, EQUALITY, KLOE, FAMILY, PARALLEL];

let worker;
let as;
let reference;
const api = (method, path, who, json) => call(worker.base, method, `/api/v1/cases/${reference}${path}`, { json, headers: who });
const audited = (action) => d1(worker, `SELECT count(*) AS n FROM audit_log WHERE action = '${action}'`)[0].n;
const leaks = (body) => TEXTS.filter((t) => JSON.stringify(body).includes(t.split(':')[0]));

before(async () => {
  worker = await startWorker();
  as = {
    team: await signIn(worker.base, 'partnership_team'),
    referrer: await signIn(worker.base, 'referrer'),
    slg: await signIn(worker.base, 'strategic_leadership'),
    scrutineer: await signIn(worker.base, 'scrutineer'),
  };
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: as.referrer })).body.reference;
  const decided = await api('POST', '/decisions/rapid-review', as.team, {
    option: 'lcspr', rationale: RATIONALE, equality_and_racism: EQUALITY, key_lines_of_enquiry: [KLOE], findings: { improvements_needed: true },
  });
  assert.equal(decided.status, 201, JSON.stringify(decided.body));
  const review = (await api('GET', '/review', as.team)).body;
  const updated = await api('PUT', '/review', as.team, {
    version: review.version, key_lines_of_enquiry: [KLOE], terms_of_reference: { family_involvement: FAMILY, parallel_processes: PARALLEL, agencies: [] },
  });
  assert.equal(updated.status, 200, JSON.stringify(updated.body));
});
after(async () => { await worker?.stop(); });

test('decision texts are sealed at rest', () => {
  const stored = d1(worker, 'SELECT rationale, answers FROM decisions; SELECT terms_of_reference, key_lines_of_enquiry FROM reviews');
  assert.equal(stored.length, 2);
  assert.deepEqual(leaks(stored), [], 'no decision text in clear in D1');
  for (const row of stored) for (const value of Object.values(row)) assert.match(value, /^v2\./, 'each is a sealed value');
});

test('roles that may read personal data read them, and each read is audited', async () => {
  const before = { decision: audited('decision_texts_read'), terms: audited('terms_of_reference_read') };
  const report = (await api('GET', '/rapid-review-report', as.scrutineer)).body;
  const { rationale, equality_and_racism, key_lines_of_enquiry, findings } = report.decision.texts;
  assert.deepEqual([rationale, equality_and_racism, key_lines_of_enquiry], [RATIONALE, EQUALITY, [KLOE]]);
  assert.equal(findings.improvements_needed, true, 'the findings recorded with the decision');
  assert.equal(audited('decision_texts_read'), before.decision + 1);
  const review = (await api('GET', '/review', as.team)).body;
  assert.equal(review.terms_of_reference.family_involvement, FAMILY);
  assert.equal(review.terms_of_reference.parallel_processes, PARALLEL);
  assert.deepEqual(review.key_lines_of_enquiry, [KLOE]);
  assert.equal(audited('terms_of_reference_read'), before.terms + 1);
});

test('leadership sees what was decided and when, never the texts, and nothing is opened for it', async () => {
  const before = { decision: audited('decision_texts_read'), terms: audited('terms_of_reference_read') };
  const report = (await api('GET', '/rapid-review-report', as.slg)).body;
  assert.equal(report.decision.option, 'lcspr');
  assert.equal(report.decision.texts, null);
  const review = (await api('GET', '/review', as.slg)).body;
  assert.equal(review.terms_of_reference, null);
  assert.equal(review.key_lines_of_enquiry, null);
  assert.deepEqual([...leaks(report), ...leaks(review)], []);
  assert.deepEqual([audited('decision_texts_read'), audited('terms_of_reference_read')], [before.decision, before.terms]);
});

test('a referrer reads the stage and dates of their own referral, nothing more', async () => {
  const summary = await api('GET', '', as.referrer);
  assert.equal(summary.status, 200);
  assert.ok(summary.body.stage, 'the stage');
  const timeline = await api('GET', '/timeline', as.referrer);
  assert.equal(timeline.status, 200);
  assert.deepEqual([...leaks(summary.body), ...leaks(timeline.body)], []);
  for (const path of ['/rapid-review-report', '/review', '/notifications', '/information-requests', '/meetings', '/recommendations']) {
    errorBody(assert, await api('GET', path, as.referrer), 403, 'forbidden');
  }
});

test('texts written in clear before sealing are still read, and the daily job seals them', async () => {
  const legacy = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: as.referrer })).body.reference;
  const [{ id }] = d1(worker, `SELECT id FROM cases WHERE reference = '${legacy}'`);
  d1(worker, `INSERT INTO decisions (id, case_id, kind, answers, outcome, rationale, decided_by, decided_at, route)
    VALUES ('legacy-decision', '${id}', 'rapid_review_outcome', '{"equality_and_racism":"Legacy-Q7 considered"}', 'audit', 'Legacy-Q7 rationale written in clear', 'demo-krscp-user-team', '${new Date().toISOString()}', '{}')`);
  const read = async () => (await call(worker.base, 'GET', `/api/v1/cases/${legacy}/rapid-review-report`, { headers: as.team })).body.decision.texts;
  const before = await read();
  assert.deepEqual([before.rationale, before.equality_and_racism], ['Legacy-Q7 rationale written in clear', 'Legacy-Q7 considered']);

  const run = await fetch(`${worker.base}/__scheduled?cron=0+7+*+*+*`, { signal: AbortSignal.timeout(60_000) });
  assert.equal(run.status, 200);
  const [row] = d1(worker, "SELECT rationale, answers FROM decisions WHERE id = 'legacy-decision'");
  assert.match(row.rationale, /^v2\./);
  assert.match(row.answers, /^v2\./);
  assert.deepEqual(await read(), before, 'the same texts, now sealed');
});

test("opening an event's note is audited like every other sealed read, and only for those who may read it", async () => {
  const NOTE = 'Note-Q7: mother told the health visitor first';
  const recorded = await api('POST', '/events', as.team, { kind: 'notified', on: new Date().toISOString().slice(0, 10), note: NOTE });
  assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
  assert.ok(!JSON.stringify(d1(worker, 'SELECT note_sealed FROM case_events')).includes('Note-Q7'), 'sealed at rest');
  const before = audited('event_notes_read');
  const timeline = (await api('GET', '/timeline', as.scrutineer)).body;
  assert.ok(JSON.stringify(timeline).includes(NOTE));
  assert.equal(audited('event_notes_read'), before + 1);
  const theirs = (await api('GET', '/timeline', as.slg)).body;
  assert.ok(!JSON.stringify(theirs).includes('Note-Q7'));
  assert.equal(audited('event_notes_read'), before + 1, 'nothing opened for leadership');
});
