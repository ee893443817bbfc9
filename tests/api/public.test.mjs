// The two public, sign-in-free endpoints: the working-day calendar and the
// notification threshold decision. Their field names and values are a contract.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, errorBody, startWorker } from '../support/worker.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

const due = (query) => call(worker.base, 'GET', `/api/v1/calendar/due?${query}`);

describe('GET /api/v1/calendar/due', () => {
  test('counts in every unit', async () => {
    const cases = [
      ['from=2026-12-24&n=5&unit=working_days_after', '2027-01-05'],
      ['from=2027-03-30&n=1&unit=working_days_before', '2027-03-25'],
      ['from=2026-11-28&n=14&unit=day_number', '2026-12-17'],
      ['from=2026-11-24&n=30&unit=calendar_days', '2026-12-24'],
      ['from=2026-11-24&n=12&unit=weeks', '2027-02-16'],
      ['from=2027-08-31&n=6&unit=months', '2028-02-29'],
      ['from=2022-06-01&n=1&unit=working_days_after', '2022-06-06'],
    ];
    for (const [query, expected] of cases) {
      const res = await due(query);
      assert.equal(res.status, 200, query);
      assert.deepEqual(res.body, { due: expected, projected: false }, query);
    }
  });

  test('never expires: beyond the gov.uk years, bank holidays are projected by rule', async () => {
    // 25 and 26 December 2028 are in the shipped file; 1 January 2029 is projected (a Monday).
    let res = await due('from=2028-12-22&n=5&unit=working_days_after');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { due: '2029-01-03', projected: true });
    // Easter 2031 is 13 April: Good Friday 11 April and Easter Monday 14 April are not working days.
    res = await due('from=2031-04-10&n=1&unit=working_days_after');
    assert.deepEqual(res.body, { due: '2031-04-15', projected: true });
    // Calendar units need no holidays, so nothing is projected.
    res = await due('from=2031-04-10&n=2&unit=weeks');
    assert.deepEqual(res.body, { due: '2031-04-24', projected: false });
  });

  test('bad input names the parameter', async () => {
    const fields = async (query) => errorBody(assert, await due(query), 400, 'validation_failed').fields.map((f) => f.field);
    assert.deepEqual(await fields('from=24-12-2026&n=5&unit=weeks'), ['from']);
    assert.deepEqual(await fields('from=2026-02-30&n=5&unit=weeks'), ['from']);
    assert.deepEqual(await fields('from=2026-12-24&n=5&unit=fortnights'), ['unit']);
    assert.deepEqual(await fields('from=2026-12-24&n=-1&unit=weeks'), ['n']);
    assert.deepEqual(await fields('from=2026-12-24&unit=weeks'), ['n']);
    assert.deepEqual(await fields('from=2026-12-24&n=0&unit=day_number'), ['n']);
    assert.deepEqual(await fields(''), ['from', 'n', 'unit']);
    const error = errorBody(assert, await due('from=1970-01-05&n=5&unit=working_days_after'), 400, 'validation_failed');
    assert.match(error.fields[0].message, /outside the years/);
    assert.doesNotMatch(error.fields[0].message, /bank-holidays\.json/, 'nothing a user can do without a rebuild');
  });
});

const answers = (overrides = {}) => ({
  aware_on: '2026-12-24',
  outcome: 'seriously_harmed',
  serious_harm: { life_threatening: true, life_changing: false, long_term_impairment: false },
  abuse_or_neglect: 'suspected',
  looked_after: false,
  care_leaver: false,
  regulated_setting: false,
  placed_by_other_authority: false,
  unexpected_death: null,
  age_years: 4,
  location: 'in_area',
  ...overrides,
});
const decide = (json) => call(worker.base, 'POST', '/api/v1/decisions/notification', { json });

describe('POST /api/v1/decisions/notification', () => {
  test('a serious child safeguarding case: notify by the 5th working day, rapid review required', async () => {
    const res = await decide(answers());
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['due', 'notify', 'open_questions', 'outcome', 'prompts', 'rapid_review_required', 'reasons']);
    assert.equal(res.body.outcome, 'notify');
    assert.equal(res.body.rapid_review_required, true);
    assert.equal(res.body.due, '2027-01-05');
    assert.deepEqual(res.body.notify, ['national_panel', 'ofsted', 'dfe', 'safeguarding_partners']);
    for (const reason of res.body.reasons) assert.deepEqual(Object.keys(reason).sort(), ['rule', 'source', 'text']);
  });

  test('each outcome of the rules', async () => {
    const outcome = async (overrides) => (await decide(answers(overrides))).body;
    assert.equal((await outcome({ outcome: 'died', looked_after: true, abuse_or_neglect: 'not_suspected' })).outcome, 'notify');
    const leaver = await outcome({ outcome: 'died', care_leaver: true, age_years: 22, abuse_or_neglect: 'not_suspected' });
    assert.deepEqual([leaver.outcome, leaver.notify, leaver.rapid_review_required], ['information_only', ['ofsted', 'secretary_of_state'], false]);
    assert.equal((await outcome({ location: 'elsewhere_in_england_resident' })).outcome, 'other_authority_notifies');
    assert.equal((await outcome({ placed_by_other_authority: true, playbook: 'kent' })).outcome, 'placing_authority_invited');
    assert.equal((await outcome({ outcome: 'harmed_not_seriously', serious_harm: undefined })).outcome, 'not_notifiable');
    const unknown = await outcome({ abuse_or_neglect: 'unknown' });
    assert.deepEqual([unknown.outcome, unknown.rapid_review_required, unknown.open_questions], ['undecided', null, ['abuse_or_neglect']]);
    const died = await outcome({ outcome: 'died', unexpected_death: true });
    assert.ok(died.prompts.some((p) => /72 hours/.test(p)));
    assert.ok(died.notify.includes('child_death_review_partners'));
  });

  test('malformed JSON, unknown enum values, bad dates and unknown playbooks are 400s naming the field', async () => {
    errorBody(assert, await call(worker.base, 'POST', '/api/v1/decisions/notification', { body: '{', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
    const fields = async (json) => errorBody(assert, await decide(json), 400, 'validation_failed').fields.map((f) => f.field);
    assert.deepEqual(await fields(answers({ outcome: 'dead' })), ['outcome']);
    assert.deepEqual(await fields(answers({ location: 'mars' })), ['location']);
    assert.deepEqual(await fields(answers({ aware_on: '24/12/2026' })), ['aware_on']);
    assert.deepEqual(await fields(answers({ looked_after: 'yes' })), ['looked_after']);
    assert.deepEqual(await fields(answers({ playbook: 'atlantis' })), ['playbook']);
    assert.deepEqual(await fields(answers({ age_years: -3 })), ['age_years']);
    assert.deepEqual(await fields(answers({ aware_on: '1970-01-05' })), ['aware_on'], 'before the years the calendar can count');
    assert.deepEqual(await fields({}), ['aware_on', 'outcome', 'abuse_or_neglect', 'location']);
  });
});
