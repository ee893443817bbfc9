// `make run`: serves the product with wrangler dev and, the first time (an
// empty case list), fills the demo partnership with a few cases at different
// stages, made through the API as staff would make them. Fictional people.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from './seed-demo.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const port = process.argv[2] || '8787';
const base = `http://127.0.0.1:${port}`;
const child = spawn(join(root, 'node_modules/.bin/wrangler'), ['dev', '--local', '--ip', '127.0.0.1', '--port', port, '--show-interactive-dev-session=false'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));

const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

async function session(local) {
  const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${local}@krscp.demo`, password: DEMO_PASSWORD }) });
  if (!res.ok) throw new Error(`sign-in as ${local}: ${res.status}`);
  return res.headers.get('set-cookie').split(';')[0];
}

async function api(cookie, method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function referral(n, child, agency, awareDaysAgo, summary) {
  return {
    referrer_name: 'Jo Example', referrer_agency: agency, referrer_role: 'Named safeguarding lead', referrer_contact: 'jo@example.org',
    aware_on: day(-awareDaysAgo), incident_date: day(-awareDaysAgo - 1), incident_time: '20:15', incident_place: 'Family home', incident_borough: n % 2 ? 'Kingston' : 'Richmond',
    summary, immediate_safeguarding: 'Siblings staying with grandparents under a safety plan.',
    agencies_involved: [agency, 'Metropolitan Police Service'],
    children: [{ name: child, date_of_birth: `20${18 + (n % 5)}-0${(n % 8) + 1}-1${n % 9}`, gender: n % 2 ? 'Female' : 'Male', ethnicity: 'Not known', address: `${n} Example Road`, borough: 'Kingston', legal_status: ['child_in_need'] }],
    parents: [{ name: `Parent of ${child}`, parental_responsibility: true }],
    household: [],
  };
}

async function seed() {
  const team = await session('team');
  if ((await api(team, 'GET', '/cases?per_page=1')).total > 0) return false;
  const referrer = await session('referrer');
  const make = async (n, child, agency, daysAgo, summary) => (await api(referrer, 'POST', '/referrals', referral(n, child, agency, daysAgo, summary))).reference;
  const answers = { outcome: 'seriously_harmed', abuse_or_neglect: 'known', location: 'in_area', age_years: 3, looked_after: false };

  // Just referred: waiting for the threshold decision.
  await make(1, 'Poppy Example', 'Kingston Hospital', 1, 'Admitted with bruising inconsistent with the account given.');
  // Notified; the rapid review under way with requests out and a meeting booked.
  const rr = await make(2, 'Leo Example', 'Kingston Hospital', 8, 'Infant with a fracture; explanation inconsistent.');
  await api(team, 'POST', `/cases/${rr}/decisions/threshold`, { answers, outcome: 'notify' });
  await api(team, 'POST', `/cases/${rr}/events`, { kind: 'notified', on: day(-6) });
  for (const agency_id of ['demo-krscp-met-police', 'demo-krscp-kingston-hospital', 'demo-krscp-afc-csc']) {
    await api(team, 'POST', `/cases/${rr}/information-requests`, { agency_id, kind: 'chronology' });
  }
  await api(team, 'POST', `/cases/${rr}/meetings`, { kind: 'rapid_review', on: day(4), time: '10:00', location: 'Guildhall, Kingston', attendees: [
    { agency_id: 'demo-krscp-afc-csc', name: 'Dana Decision-Maker', role_title: 'Director of Children\'s Services', decision_maker: true, email: 'decision.maker@krscp.demo' },
    { agency_id: 'demo-krscp-met-police', name: 'DCI Grey', role_title: 'Detective Chief Inspector', decision_maker: true },
  ] });
  // An LCSPR with its terms of reference, and one finished with its action plan.
  const lcspr = await make(3, 'Mia Example', 'Richmond School', 60, 'Teenager seriously harmed; long history of neglect concerns.');
  await api(team, 'POST', `/cases/${lcspr}/decisions/threshold`, { answers: { ...answers, age_years: 14 }, outcome: 'notify' });
  await api(team, 'POST', `/cases/${lcspr}/events`, { kind: 'notified', on: day(-58) });
  await api(team, 'POST', `/cases/${lcspr}/decisions/rapid-review`, { option: 'lcspr', rationale: 'Multi-agency learning about neglect and information sharing across borough borders',
    equality_and_racism: 'Considered: the family\'s first language was not English and no interpreter was used.', key_lines_of_enquiry: ['Recognising cumulative neglect', 'Information sharing across borders', 'Voice of the child'],
    findings: { improvements_needed: true, agencies_working_together_concerns: true, additional_learning: true } });
  const review = await api(team, 'GET', `/cases/${lcspr}/review`);
  await api(team, 'PUT', `/cases/${lcspr}/review`, { version: review.version, pseudonym: 'Child R', reviewer_user_id: 'demo-krscp-user-reviewer', reviewer_independent: true, expressions_of_interest: 3,
    conflicts_declared: true, methodology: 'Systems approach with a practitioner learning event', key_lines_of_enquiry: ['Recognising cumulative neglect', 'Information sharing across borders', 'Voice of the child'],
    terms_of_reference: { period_from: day(-730), period_to: day(-60), agencies: ['demo-krscp-met-police', 'demo-krscp-afc-csc', 'demo-krscp-education'] }, planned_publication_on: day(90) });
  const rec = await api(team, 'POST', `/cases/${lcspr}/recommendations`, { text: 'Schools and children\'s social care share attendance concerns within one week', theme: 'neglect' });
  await api(team, 'POST', `/cases/${lcspr}/recommendations/${rec.id}/actions`, { description: 'Agree an attendance-concern protocol between schools and the front door', measure: 'Protocol in use in all schools; audit shows referrals within 5 days', owner_agency_id: 'demo-krscp-education', due_on: day(120) });
  // Below the threshold: recorded and closed.
  const low = await make(4, 'Noah Example', 'Your Healthcare', 30, 'Minor injury; no concerns of abuse after assessment.');
  await api(team, 'POST', `/cases/${low}/decisions/threshold`, { answers: { ...answers, abuse_or_neglect: 'not_suspected' }, outcome: 'not_notifiable', rationale: 'Assessment found an accidental injury with a consistent account.' });
  return true;
}

for (let i = 0; i < 150; i += 1) {
  try {
    if ((await fetch(`${base}/api/v1/health`)).ok) break;
  } catch { /* starting */ }
  await new Promise((ok) => setTimeout(ok, 200));
}
try {
  if (await seed()) console.log('\nDemo cases added to the KRSCP partnership (first run only).\n');
} catch (error) {
  console.error(`\nThe demo cases could not be added (${error.message}); the product is running without them.\n`);
}
