/**
 * The shared inbox in a real browser (Debian's Chromium through playwright-core) against the real server on a
 * temporary SQLite database, with background intake on and a loopback SMTP server: an agent signs in, finds the
 * complaint that has just arrived, replies, and the reply reaches the SMTP server threaded under the customer's
 * message; a Mastodon complaint is answered through a local Mastodon API as a status reply; a handle verified on
 * a person links that person's next mention on another channel (and the person panel says why); an SLA breach
 * reaches the assignee in the app and over SMTP; a viewer sees the
 * case but cannot reply; wrong passwords are rate limited.
 *
 * Intake is set to open a case for every mention about Acme and only language identification runs (ENRICH=language),
 * so the test does not depend on the NLP models.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { launchBrowser, SKIP_BROWSER, startServer, until, type LaunchedBrowser, type TestServer } from './browser.ts';
import { startHttpStub, startSmtp, type HttpStub, type SmtpStub } from '../inbox/stubs.ts';

const PASSWORD = 'correct horse battery';

async function call<T>(url: string, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => null)) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('form button[type=submit]').click();
}

describe('shared inbox in Chromium', { skip: SKIP_BROWSER, timeout: 120_000 }, () => {
  let server: TestServer;
  let smtp: SmtpStub;
  let mastodon: HttpStub;
  let mastoSource: number;
  let mailSource: number;
  let chrome: LaunchedBrowser;
  let page: Page;
  let ws: number;
  let inbox: string;

  before(async () => {
    smtp = await startSmtp();
    mastodon = await startHttpStub();
    server = await startServer({
      ENRICH: 'language', FETCH_ALLOW_PRIVATE: 'loopback', INBOX_JOBS_SECONDS: '1', LOGIN_MAX_FAILURES: '3', SECRET_KEY: crypto.randomBytes(32).toString('base64'), RUN_SOURCES: 'false',
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_FROM: 'earshot@acme.test',
    });
    const u = server.url;
    await call(u, 'POST', '/api/auth/setup', { email: 'ada@acme.test', name: 'Ada Admin', password: PASSWORD });
    const login = await fetch(`${u}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@acme.test', password: PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const token = (await (await fetch(`${u}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'e2e setup' }) })).json() as { token: string }).token;
    await call(u, 'POST', '/api/users', { email: 'bo@acme.test', name: 'Bo Agent', role: 'agent', password: PASSWORD }, token);
    await call(u, 'POST', '/api/users', { email: 'vi@acme.test', name: 'Vi Viewer', role: 'viewer', password: PASSWORD }, token);
    ws = (await call<{ id: number }>(u, 'POST', '/api/workspaces', { name: 'Acme care' }, token)).id;
    await call(u, 'POST', `/api/workspaces/${ws}/brands`, { name: 'Acme', query: 'acme' }, token);
    await call(u, 'PUT', `/api/workspaces/${ws}/inbox/settings`, { rules: { everything: true } }, token);
    const mail = await call<{ id: number }>(u, 'POST', `/api/workspaces/${ws}/sources`, {
      kind: 'email', name: 'Support mailbox', settings: { host: '127.0.0.1', port: 1143, secure: false, starttls: 'off', user: 'support@acme.test', password: 'imap-secret', smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpStarttls: 'off', fromAddress: 'support@acme.test' },
    }, token);
    mailSource = mail.id;
    mastoSource = (await call<{ id: number }>(u, 'POST', `/api/workspaces/${ws}/sources`, { kind: 'mastodon', name: 'Mastodon', settings: { instance: mastodon.url, hashtags: ['acme'], accessToken: 'masto-token' } }, token)).id;
    inbox = `${u}/w/${ws}/inbox`;
    chrome = await launchBrowser();
    page = await chrome.browser.newPage();
    page.setDefaultTimeout(15_000);
    // The complaint arrives as the e-mail source would deliver it, while the agent is about to sign in.
    await server.app.ctx.pipeline.process({ workspaceId: ws, sourceId: mail.id, sourceKind: 'email', fixedBrandId: null }, {
      items: [{ externalId: '<c7@customer.test>', title: 'Acme order 77 arrived broken', text: 'My Acme order 77 arrived broken. Please refund me.', author: { handle: 'jon@customer.test', name: 'Jon Snow' }, channel: 'email', extra: { references: ['<c6@customer.test>'] } }],
      cursor: null,
    });
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
    await smtp?.close();
    await mastodon?.close();
  });

  it('an agent signs in, finds the new complaint, replies, and the reply reaches SMTP threaded', async () => {
    await page.goto(inbox);
    await signIn(page, 'bo@acme.test', PASSWORD);
    const row = page.getByTestId('case-row').filter({ hasText: 'Acme order 77 arrived broken' });
    await row.getByRole('link').click({ timeout: 20_000 }); // intake runs in the background every second
    const panel = page.getByTestId('case-panel');
    await panel.getByTestId('mention-text').filter({ hasText: 'Please refund me.' }).waitFor();
    await panel.locator('textarea').fill('Sorry Jon, a replacement is on its way.');
    await panel.getByRole('button', { name: 'Send reply' }).click();
    await panel.locator('[data-testid=reply][data-status=sent]').waitFor();
    const msg = smtp.messages.at(-1)!;
    assert.equal(msg.inReplyTo, '<c7@customer.test>');
    assert.deepEqual(msg.references, ['<c6@customer.test>', '<c7@customer.test>']);
    assert.equal(msg.subject, 'Re: Acme order 77 arrived broken');
    assert.equal(msg.text?.trim(), 'Sorry Jon, a replacement is on its way.');
    assert.equal(await panel.locator('[data-testid=sla][data-state=met]').count() > 0, true);
  });

  it('the agent answers a Mastodon complaint through a local Mastodon API, as a status reply', async () => {
    await server.app.ctx.pipeline.process({ workspaceId: ws, sourceId: mastoSource, sourceKind: 'mastodon', fixedBrandId: null }, {
      items: [{ externalId: '109999', text: 'The Acme app logs me out every hour #acme', author: { handle: 'lena@social.example', name: 'Lena' }, channel: 'mastodon' }],
      cursor: null,
    });
    // A saved reply, added on the settings view, fills the composer with the customer's name.
    await page.getByRole('link', { name: 'Settings' }).click();
    const settings = page.getByTestId('inbox-settings');
    await settings.getByLabel('Name', { exact: true }).fill('Fix coming');
    await settings.getByLabel('en', { exact: true }).fill('Thanks {{customer.name}}, a fix ships tomorrow.');
    await settings.getByRole('button', { name: 'Add saved reply' }).click();
    await settings.getByText('Fix coming').waitFor();
    await page.goto(inbox);
    await page.getByTestId('case-row').filter({ hasText: 'The Acme app logs me out' }).getByRole('link').click({ timeout: 20_000 });
    const panel = page.getByTestId('case-panel');
    await panel.getByTestId('mention-text').filter({ hasText: 'logs me out every hour' }).waitFor();
    await panel.getByLabel('Saved reply…').selectOption({ label: 'Fix coming' });
    await until(async () => (await panel.locator('textarea').inputValue()) === 'Thanks Lena, a fix ships tomorrow.', 'the saved reply in the reply box');
    await panel.getByRole('button', { name: 'Send reply' }).click();
    await panel.locator('[data-testid=reply][data-status=sent]').waitFor();
    const form = new URLSearchParams(mastodon.calls.find((c) => c.path === '/api/v1/statuses')!.body);
    assert.deepEqual([form.get('in_reply_to_id'), form.get('status')], ['109999', '@lena@social.example Thanks Lena, a fix ships tomorrow.']);
  });

  it('the agent verifies a handle on a person; a mention from it on another channel joins the person, and the panel says why', async () => {
    await page.goto(`${server.url}/w/${ws}/people`);
    await page.getByRole('link', { name: 'Jon Snow' }).click();
    const panel = page.getByTestId('person-panel');
    const handles = panel.getByTestId('verified-handles');
    await handles.getByLabel('Channel').selectOption('mastodon');
    await handles.getByLabel('Handle').fill('@JonS@social.example');
    await handles.getByLabel('How do you know?').fill('signature of his e-mail');
    await handles.getByRole('button', { name: 'Verify handle' }).click();
    await handles.getByText('mastodon: jons@social.example').waitFor();
    await server.app.ctx.pipeline.process({ workspaceId: ws, sourceId: mastoSource, sourceKind: 'mastodon', fixedBrandId: null }, {
      items: [{ externalId: '110001', text: 'Acme, where is my replacement? #acme', author: { handle: 'jons@social.example', name: 'Jon S.' }, channel: 'mastodon' }],
      cursor: null,
    });
    await server.app.ctx.inbox.intakeNow();
    await page.reload();
    const reason = page.getByTestId('person-panel').getByTestId('identity').filter({ hasText: 'mastodon: jons@social.example' }).getByTestId('link-reason');
    assert.equal(await reason.textContent(), 'linked: verified mastodon handle jons@social.example (by Bo Agent: „signature of his e-mail“)');
  });

  it('an SLA breach reaches the assignee in the app and by e-mail, once', async () => {
    // A complaint that arrived two hours ago: the 60-minute first-response SLA is breached at the next SLA watch.
    await server.app.ctx.pipeline.process({ workspaceId: ws, sourceId: mailSource, sourceKind: 'email', fixedBrandId: null }, {
      items: [{ externalId: '<old1@customer.test>', title: 'Acme billed me twice', text: 'Acme billed me twice, refund please.', author: { handle: 'mia@customer.test', name: 'Mia' }, channel: 'email', publishedAt: Date.now() - 2 * 3_600_000 }],
      cursor: null,
    });
    await page.goto(inbox);
    const notice = page.getByTestId('notice').filter({ hasText: 'SLA breached: First response of case #' });
    await notice.waitFor({ timeout: 30_000 });
    const toBo = () => smtp.messages.filter((m) => m.subject?.startsWith('[Earshot] SLA breached') && m.to && !Array.isArray(m.to) && m.to.value[0]!.address === 'bo@acme.test');
    for (let i = 0; i < 100 && !toBo().length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(toBo().length, 1);
    await notice.getByRole('button', { name: 'Mark read' }).click();
    await notice.waitFor({ state: 'detached' });
    await server.app.ctx.inbox.runOnce();
    assert.equal(toBo().length, 1, 'no second e-mail for the same case and SLA');
  });

  it('a viewer sees the case but cannot reply (no composer, and the API refuses)', async () => {
    await chrome.browser.clearCookies();
    await page.goto(inbox);
    await signIn(page, 'vi@acme.test', PASSWORD);
    await page.getByTestId('case-row').first().getByRole('link').click();
    await page.getByTestId('composer-disabled').waitFor();
    assert.equal(await page.getByTestId('case-panel').locator('textarea').count(), 0);
    const status = await page.evaluate<number>(`(async () => {
      const me = await (await fetch('/api/auth/me')).json();
      const cases = await (await fetch('/api/workspaces/${ws}/cases?status=open,pending_customer,resolved')).json();
      const r = await fetch('/api/workspaces/${ws}/cases/' + cases.items[0].id + '/replies', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ text: 'viewer reply' }) });
      return r.status;
    })()`);
    assert.equal(status, 403);
  });

  it('a wrong password is rate limited after three tries, even before the right one', async () => {
    await chrome.browser.clearCookies();
    await page.goto(inbox);
    // Each attempt waits for its own answer (an error shown by the previous attempt would not say it arrived).
    const attempt = async (password: string) => {
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
      await signIn(page, 'bo@acme.test', password);
      return (await answer).status();
    };
    for (let i = 0; i < 3; i++) assert.equal(await attempt('not the password'), 401);
    assert.equal(await attempt(PASSWORD), 429);
    await page.getByRole('alert').filter({ hasText: 'Too many failed sign-ins' }).waitFor();
    assert.equal(await page.getByTestId('case-queue').count(), 0);
  });
});
