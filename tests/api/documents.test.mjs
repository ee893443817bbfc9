// Documents from a case, as HTML and as Word: they open, they carry the
// case's facts, personal data only for roles that may read it, and every
// generation is audited.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CHILD_NAME, validReferral } from '../support/referral.mjs';
import { call, errorBody, root, signIn, startWorker } from '../support/worker.mjs';

let worker;
let as;
let reference;
const inDays = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const api = (method, path, json, who = as.team) => call(worker.base, method, `/api/v1/cases/${reference}${path}`, { json, headers: who });
const download = (file, who = as.team) => fetch(`${worker.base}/api/v1/cases/${reference}/documents/${file}`, { headers: who });
/** The text of word/document.xml inside a .docx (a zip), read with Python's zipfile. */
const wordXml = (bytes) => execFileSync('python3', ['-c', 'import sys, zipfile, io; print(zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read())).read("word/document.xml").decode())'], { input: bytes }).toString();

before(async () => {
  worker = await startWorker();
  as = { team: await signIn(worker.base, 'partnership_team'), slg: await signIn(worker.base, 'strategic_leadership'), referrer: await signIn(worker.base, 'referrer') };
  reference = (await call(worker.base, 'POST', '/api/v1/referrals', { json: validReferral(), headers: as.referrer })).body.reference;
  const ok = async (res) => { const r = await res; assert.ok(r.status < 300, JSON.stringify(r.body)); return r.body; };
  await ok(api('POST', '/information-requests', { agency_id: 'demo-krscp-met-police', kind: 'chronology' }));
  await ok(api('POST', '/meetings', { kind: 'rapid_review', on: inDays(0), time: '00:00', location: 'Guildhall, Kingston', attendees: [{ agency_id: 'demo-krscp-met-police', name: 'DCI Grey', role_title: 'DCI' }] }));
  await ok(api('POST', '/decisions/rapid-review', { option: 'lcspr', rationale: 'Learning about information sharing across agencies', equality_and_racism: 'Language barriers delayed access',
    key_lines_of_enquiry: ['Information sharing', 'Voice of the child'], findings: { improvements_needed: true } }));
  await ok(api('PUT', '/rapid-review-report', { version: 0, write_up: { lived_experience: `${CHILD_NAME} was rarely seen alone` } }));
});
after(async () => { await worker?.stop(); });

test('the rapid review report as HTML and Word, with the child only for roles that may read personal data', async () => {
  const html = await download('rapid-review-report.html');
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assert.match(html.headers.get('content-security-policy'), /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; frame-ancestors 'none'$/, 'no script, only its own stylesheet');
  const page = await html.text();
  for (const expected of [reference, 'Guildhall, Kingston', 'Metropolitan Police Service', 'Learning about information sharing across agencies', CHILD_NAME]) {
    assert.ok(page.includes(expected), `the report lacks ${expected}`);
  }
  const docx = await download('rapid-review-report.docx');
  assert.equal(docx.status, 200);
  assert.equal(docx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.match(docx.headers.get('content-disposition'), new RegExp(`attachment; filename="${reference}-rapid-review-report\\.docx"`));
  const xml = wordXml(Buffer.from(await docx.arrayBuffer()));
  assert.ok(xml.includes(reference) && xml.includes('Information sharing') && xml.includes(CHILD_NAME), 'the Word file holds the case');
  const leadership = await (await download('rapid-review-report.html', as.slg)).text();
  assert.ok(!leadership.includes(CHILD_NAME) && !leadership.includes('rarely seen alone'), 'no personal data for a role that may not read it');
  assert.ok(leadership.includes('left out') && leadership.includes('Metropolitan Police Service'));
  const audit = execFileSync(join(root, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', worker.persist, '--json', '--command', "SELECT detail FROM audit_log WHERE action = 'document_generated'"], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }).toString();
  assert.ok(audit.includes('rapid-review-report.docx') && audit.includes('without personal data'), 'every generation is audited');
});

test('terms of reference, family letter, panel notification and publication notice', async () => {
  errorBody(assert, { status: (await download('terms-of-reference.html')).status, body: await (await download('terms-of-reference.html')).json() }, 400, 'validation_failed');
  const review = (await api('GET', '/review')).body;
  assert.equal((await api('PUT', '/review', { version: review.version, pseudonym: 'Child P', reviewer_name: 'Robin Reviewer', conflicts_declared: true,
    terms_of_reference: { agencies: ['demo-krscp-met-police'], family_involvement: 'Mother invited' }, key_lines_of_enquiry: ['Information sharing'], planned_publication_on: inDays(100) })).status, 200);
  const tor = await (await download('terms-of-reference.html')).text();
  assert.ok(tor.includes('Child P') && tor.includes('Metropolitan Police Service') && tor.includes('Mother invited') && !tor.includes(CHILD_NAME));
  const letter = await (await download('family-letter.html')).text();
  assert.ok(letter.includes('Robin Reviewer has been chosen to lead this review'));
  const panel = await (await download('panel-notification.html')).text();
  assert.ok(panel.includes(reference) && panel.includes('later than 5 working days') && !panel.includes(CHILD_NAME), 'the referral is long past its 5 days, and names no child');
  const notice = wordXml(Buffer.from(await (await download('publication-notice.docx')).arrayBuffer()));
  assert.ok(notice.includes('Child P') && !notice.includes(CHILD_NAME));
});

test('only the people who work with a case generate its documents', async () => {
  assert.equal((await download('rapid-review-report.html', as.referrer)).status, 403);
  assert.equal((await download('no-such-document.html')).status, 404);
  assert.equal((await download('rapid-review-report.pdf')).status, 404);
  assert.equal((await download('rapid-review-report.html', await signIn(worker.base, 'partnership_team', 'llr'))).status, 404);
});
