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

const today = () => new Date().toISOString().slice(0, 10);

/** The date `n` working days from today (before it when negative), by the product's own calendar. */
async function wd(n) {
  if (n === 0) return today();
  const unit = n > 0 ? 'working_days_after' : 'working_days_before';
  const res = await fetch(`${base}/api/v1/calendar/due?from=${today()}&n=${Math.abs(n)}&unit=${unit}`);
  return (await res.json()).due;
}

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

/** A referral; `received` (a date) when the partnership team enters one an agency sent by email. */
function referral(n, child, agency, awareOn, summary, received) {
  const incident = new Date(Date.parse(awareOn) - 86_400_000).toISOString().slice(0, 10);
  return {
    referrer_name: 'Jo Example', referrer_agency: agency, referrer_role: 'Named safeguarding lead', referrer_contact: 'jo@example.org',
    aware_on: awareOn, incident_date: incident, incident_time: '20:15', incident_place: 'Family home', incident_borough: n % 2 ? 'Kingston' : 'Richmond',
    summary, immediate_safeguarding: 'Siblings staying with grandparents under a safety plan.',
    agencies_involved: [agency, 'Metropolitan Police Service'],
    children: [{ name: child, date_of_birth: `20${18 + (n % 5)}-0${(n % 8) + 1}-1${n % 9}`, gender: n % 2 ? 'Female' : 'Male', ethnicity: 'Not known', address: `${n} Example Road`, borough: 'Kingston', legal_status: ['child_in_need'] }],
    parents: [{ name: `Parent of ${child}`, parental_responsibility: true }],
    household: [],
    ...(received ? { received_via: 'email', received_on: received } : {}),
  };
}

// Every date is a working day counted by the product's calendar, and each
// case's events happen in the order of the process, so the case matrix shows
// what a partnership would see: some steps on track, one due soon, one overdue.
async function seed() {
  const team = await session('team');
  if ((await api(team, 'GET', '/cases?per_page=1')).total > 0) return false;
  const referrer = await session('referrer');
  const sent = async (who, body) => (await api(who, 'POST', '/referrals', body)).reference;
  const event = (ref, kind, on) => api(team, 'POST', `/cases/${ref}/events`, { kind, on });
  const answers = { outcome: 'seriously_harmed', abuse_or_neglect: 'known', location: 'in_area', age_years: 3, looked_after: false };

  // Referred today by the hospital, four working days after it became aware: the decision is due soon.
  await sent(referrer, referral(1, 'Poppy Example', 'Kingston Hospital', await wd(-4), 'Admitted with bruising inconsistent with the account given.'));

  // Emailed in eight working days ago; notified; the rapid review under way with requests out and a meeting booked.
  const rr = await sent(team, referral(2, 'Leo Example', 'Kingston Hospital', await wd(-8), 'Infant with a fracture; explanation inconsistent.', await wd(-8)));
  await api(team, 'POST', `/cases/${rr}/decisions/threshold`, { answers, outcome: 'notify', decided_on: await wd(-7) });
  await event(rr, 'notified', await wd(-6));
  await event(rr, 'partnership_manager_informed', await wd(-6));
  for (const agency_id of ['demo-krscp-met-police', 'demo-krscp-kingston-hospital', 'demo-krscp-afc-csc']) {
    await api(team, 'POST', `/cases/${rr}/information-requests`, { agency_id, kind: 'chronology' });
  }
  await api(team, 'POST', `/cases/${rr}/meetings`, { kind: 'rapid_review', on: await wd(4), time: '10:00', location: 'Guildhall, Kingston', attendees: [
    { agency_id: 'demo-krscp-afc-csc', name: 'Dana Decision-Maker', role_title: 'Director of Children\'s Services', decision_maker: true, email: 'decision.maker@krscp.demo' },
    { agency_id: 'demo-krscp-met-police', name: 'DCI Grey', role_title: 'Detective Chief Inspector', decision_maker: true },
  ] });

  // An LCSPR: the rapid review done on time three months ago, terms of reference agreed, publication planned, an action.
  const lcspr = await sent(team, referral(3, 'Mia Example', 'Richmond School', await wd(-60), 'Teenager seriously harmed; long history of neglect concerns.', await wd(-60)));
  await api(team, 'POST', `/cases/${lcspr}/decisions/threshold`, { answers: { ...answers, age_years: 14 }, outcome: 'notify', decided_on: await wd(-59) });
  for (const [kind, n] of [['notified', -57], ['partnership_manager_informed', -57], ['information_requested', -56], ['information_returned', -52], ['meeting_scheduled', -47], ['papers_sent', -52], ['meeting_held', -47]]) {
    await event(lcspr, kind, await wd(n));
  }
  await api(team, 'POST', `/cases/${lcspr}/decisions/rapid-review`, { option: 'lcspr', decided_on: await wd(-47), rationale: 'Multi-agency learning about neglect and information sharing across borough borders',
    equality_and_racism: 'Considered: the family\'s first language was not English and no interpreter was used.', key_lines_of_enquiry: ['Recognising cumulative neglect', 'Information sharing across borders', 'Voice of the child'],
    findings: { improvements_needed: true, agencies_working_together_concerns: true, additional_learning: true } });
  for (const [kind, n] of [['rapid_review_submitted', -45], ['panel_response_received', -35], ['terms_of_reference_agreed', -30]]) {
    await event(lcspr, kind, await wd(n));
  }
  const review = await api(team, 'GET', `/cases/${lcspr}/review`);
  await api(team, 'PUT', `/cases/${lcspr}/review`, { version: review.version, pseudonym: 'Child R', reviewer_user_id: 'demo-krscp-user-reviewer', reviewer_independent: true, expressions_of_interest: 3,
    conflicts_declared: true, methodology: 'Systems approach with a practitioner learning event', key_lines_of_enquiry: ['Recognising cumulative neglect', 'Information sharing across borders', 'Voice of the child'],
    terms_of_reference: { period_from: await wd(-520), period_to: await wd(-60), agencies: ['demo-krscp-met-police', 'demo-krscp-afc-csc', 'demo-krscp-education'] }, planned_publication_on: await wd(60) });
  const rec = await api(team, 'POST', `/cases/${lcspr}/recommendations`, { text: 'Schools and children\'s social care share attendance concerns within one week', theme: 'neglect' });
  await api(team, 'POST', `/cases/${lcspr}/recommendations/${rec.id}/actions`, { description: 'Agree an attendance-concern protocol between schools and the front door', measure: 'Protocol in use in all schools; audit shows referrals within 5 days', owner_agency_id: 'demo-krscp-education', due_on: await wd(80) });

  // Below the threshold: phoned in, decided not notifiable two days later, then closed. Nothing stays due.
  const low = await sent(team, { ...referral(4, 'Noah Example', 'Your Healthcare', await wd(-30), 'Minor injury; no concerns of abuse after assessment.'), received_via: 'phone', received_on: await wd(-30) });
  await api(team, 'POST', `/cases/${low}/decisions/threshold`, { answers: { ...answers, abuse_or_neglect: 'not_suspected' }, outcome: 'not_notifiable', decided_on: await wd(-28),
    rationale: 'Assessment found an accidental injury with a consistent account.' });
  await event(low, 'closed', await wd(-25));
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
