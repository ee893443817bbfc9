// Signing out on a shared computer: what was being written goes with the
// session, and the next person at the browser sees nothing of it; "sign out
// everywhere" ends the sessions on other devices at once. The session cookie
// is a __Host- cookie the browser accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, newPage, signInThroughPage, withWorkerAndBrowser } from '../support/browser.mjs';
import { DEMO_PASSWORD, demoEmail, startWorker } from '../support/worker.mjs';

const env = withWorkerAndBrowser();

test('signing out clears the draft from the device; the next person starts afresh', async () => {
  const page = await newPage(env.browser);
  await signInThroughPage(page, env.worker.base, demoEmail('referrer'), DEMO_PASSWORD, '/referrals/new');
  const cookies = await page.context().cookies();
  assert.deepEqual(cookies.map((c) => [c.name, c.httpOnly, c.secure, c.sameSite]), [['__Host-sid', true, true, 'Strict']]);
  await page.getByLabel('Your role').fill('Named nurse for safeguarding');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel("Child's full name").fill('Zebedee Quillfeather');
  await page.getByRole('button', { name: 'Continue' }).click(); // saves the draft, then asks for the rest
  assert.ok((await page.evaluate(() => JSON.stringify(sessionStorage))).includes('Zebedee'), 'the draft is kept in the tab while signed in');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, 'nothing stays on the device');

  // A colleague signs in at the same browser tab: a blank form.
  await page.getByLabel('Email address').fill(demoEmail('agency_lead'));
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(`${env.worker.base}/referrals/new/children`);
  await page.getByLabel("Child's full name").waitFor();
  assert.equal(await page.getByLabel("Child's full name").inputValue(), '');
  assert.ok(!(await page.content()).includes('Zebedee'));
  assert.deepEqual(page.problems, []);
});

test('a draft another person left in the tab is never shown to whoever signs in next', async () => {
  const page = await newPage(env.browser);
  await signInThroughPage(page, env.worker.base, demoEmail('partnership_team'), DEMO_PASSWORD, '/referrals/new');
  // As if a draft survived from someone else's session (their tab was left open when it timed out).
  await page.evaluate(() => sessionStorage.setItem('referral-draft', JSON.stringify({ author: 'referrer@krscp.demo', children: [{ name: 'Zebedee Quillfeather' }] })));
  await page.goto(`${env.worker.base}/referrals/new/children`);
  await page.getByLabel("Child's full name").waitFor();
  assert.equal(await page.getByLabel("Child's full name").inputValue(), '');
});

test('sign out everywhere ends the session on the other device at once', async () => {
  const phone = await newPage(env.browser);
  const desk = await newPage(env.browser);
  await signInThroughPage(phone, env.worker.base, demoEmail('decision_maker'), DEMO_PASSWORD, '/account');
  await signInThroughPage(desk, env.worker.base, demoEmail('decision_maker'), DEMO_PASSWORD, '/cases');
  await phone.getByRole('heading', { name: 'Your account' }).waitFor();
  assert.match(await phone.locator('main').textContent(), /Dana Decision-Maker.*decision\.maker@krscp\.demo/s);
  assert.deepEqual(await axeViolations(phone), []);
  await phone.getByRole('button', { name: 'Sign out everywhere' }).click();
  await phone.getByRole('heading', { name: 'Sign in' }).waitFor();
  await desk.reload();
  await desk.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.deepEqual([...phone.problems, ...desk.problems], []);
});

test('working keeps the session alive; once it ends the form is cleared and the sign-in page says why', async () => {
  // A worker whose sessions end after 3 seconds without a request.
  const short = await startWorker({ vars: { SESSION_IDLE_SECONDS: '3' } });
  const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
  try {
    const page = await newPage(env.browser);
    await signInThroughPage(page, short.base, demoEmail('referrer'), DEMO_PASSWORD, '/referrals/new');
    await page.getByLabel('Your role').fill('Named nurse for safeguarding');
    await page.getByRole('button', { name: 'Continue' }).click();
    const name = page.getByLabel("Child's full name");
    // Typing, with pauses shorter than the idle time, for longer than it: still signed in.
    for (const letter of 'Zebedee') {
      await sleep(1200);
      await name.press(letter);
    }
    await sleep(500);
    assert.equal(new URL(page.url()).pathname, '/referrals/new/children', 'kept alive while working');
    // Away for longer than the idle time: the next keystroke finds the session ended.
    await sleep(4000);
    await name.press('Q');
    await page.getByText('You were signed out because you had not used the service for a while').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, 'the draft went with the session');
    assert.deepEqual(page.problems, []);
  } finally {
    await short.stop();
  }
});
