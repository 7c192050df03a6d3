/**
 * The admin screens in a real browser (Debian's Chromium through playwright-core) against the real server on a
 * temporary SQLite database: an admin adds a user, changes the role and deactivates them; creates an API token
 * that is shown once, works, and stops working once revoked; filters the audit log; sees the screens in German.
 * An agent is offered no admin screens and is refused on the direct URL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { inboxDb } from '../../src/inbox/inbox-tables.ts';
import { launchBrowser, SKIP_BROWSER, startServer, until, type LaunchedBrowser, type TestServer } from './browser.ts';

const PASSWORD = 'correct horse battery';

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('form button[type=submit]').click();
}

async function status(url: string, path: string, token: string): Promise<number> {
  return (await fetch(url + path, { headers: { authorization: `Bearer ${token}` } })).status;
}

describe('admin screens in Chromium', { skip: SKIP_BROWSER, timeout: 120_000 }, () => {
  let server: TestServer;
  let chrome: LaunchedBrowser;
  let page: Page;
  let admin: string;

  before(async () => {
    server = await startServer({ ENRICH: 'language', INBOX_JOBS: 'false', RUN_SOURCES: 'false' });
    const u = server.url;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(u + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    assert.equal((await post('/api/auth/setup', { email: 'ada@acme.test', name: 'Ada Admin', password: PASSWORD })).status, 201);
    const login = await post('/api/auth/login', { email: 'ada@acme.test', password: PASSWORD });
    const auth = { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
    assert.equal((await post('/api/users', { email: 'bo@acme.test', name: 'Bo Agent', role: 'agent', password: PASSWORD }, auth)).status, 201);
    const ws = ((await (await post('/api/workspaces', { name: 'Acme care' }, auth)).json()) as { id: number }).id;
    admin = `${u}/w/${ws}/admin`;
    chrome = await launchBrowser();
    page = await chrome.browser.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('an admin adds a user, changes the role and deactivates them', async () => {
    await page.goto(admin);
    await signIn(page, 'ada@acme.test', PASSWORD);
    const form = page.getByRole('form', { name: 'Add user' });
    await form.getByLabel('Name').fill('Cy Newcomer');
    await form.getByLabel('E-mail').fill('cy@acme.test');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByLabel('Initial password (at least 10 characters)').fill(PASSWORD);
    await form.getByRole('button', { name: 'Add user' }).click();
    const row = page.locator('[data-testid=user-row][data-email="cy@acme.test"]');
    await row.waitFor();
    assert.equal(await row.getByRole('combobox').inputValue(), 'viewer');
    const patched = page.waitForResponse((r) => r.url().includes('/api/users/') && r.request().method() === 'PATCH');
    await row.getByLabel('Role: cy@acme.test').selectOption('agent');
    assert.equal((await patched).status(), 200);
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByTestId('user-status').filter({ hasText: 'Deactivated' }).waitFor();
    const cy = await inboxDb(server.app.ctx.db.kysely).selectFrom('users').select(['role', 'disabled']).where('email', '=', 'cy@acme.test').execute();
    assert.deepEqual(cy, [{ role: 'agent', disabled: 1 }]);
    const signInCy = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'cy@acme.test', password: PASSWORD }) });
    assert.equal(signInCy.status, 401, 'a deactivated user cannot sign in');
  });

  it('creates an API token that is shown once, works, and stops working when revoked', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    const form = page.getByRole('form', { name: 'Create token' });
    await form.getByLabel('Name').fill('CI export');
    await form.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('token-value').textContent()) ?? '';
    assert.match(token, /^esk_/);
    assert.equal(await status(server.url, '/api/workspaces', token), 200);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('new-token').waitFor({ state: 'detached' });
    assert.equal(await page.getByText(token).count(), 0, 'the token is not shown again');
    const row = page.locator('[data-testid=token-row][data-name="CI export"]');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByTestId('token-state').filter({ hasText: 'Revoked' }).waitFor();
    assert.equal(await status(server.url, '/api/workspaces', token), 401);
  });

  it('filters the audit log, and shows the screens in German', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByTestId('audit-row').first().waitFor();
    await page.getByLabel('Action contains').fill('api/tokens');
    const codes = page.locator('[data-testid=audit-row] code');
    const tokenActionsOnly = (actions: string[]) => actions.length > 0 && actions.every((c) => c.includes('/api/tokens'));
    await until(async () => tokenActionsOnly(await codes.allTextContents()), 'the audit log to show only token actions');
    const actions = await codes.allTextContents();
    assert.deepEqual([...new Set(actions)].sort(), ['DELETE /api/tokens/:id', 'POST /api/tokens']);
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('link', { name: 'Benutzer' }).click();
    await page.getByRole('form', { name: 'Benutzer anlegen' }).waitFor();
    await page.getByRole('link', { name: 'Verwaltung' }).waitFor();
    await page.getByLabel('Sprache').selectOption('en');
  });

  it('an agent is offered no admin screens and is refused on the direct URL', async () => {
    await chrome.browser.clearCookies();
    await page.goto(admin);
    await signIn(page, 'bo@acme.test', PASSWORD);
    await page.getByTestId('admin-forbidden').waitFor();
    assert.equal(await page.getByTestId('users-table').count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Administration' }).count(), 0, 'no navigation entry');
    await page.getByRole('link', { name: 'Inbox' }).waitFor();
    const refused = await page.evaluate<number[]>(`Promise.all(['/api/audit', '/api/tokens'].map(async (p) => (await fetch(p)).status))`);
    assert.equal(refused[0], 403);
    const created = await page.evaluate<number>(`(async () => {
      const me = await (await fetch('/api/auth/me')).json();
      return (await fetch('/api/users', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ email: 'eve@acme.test', name: 'Eve', password: 'x'.repeat(12) }) })).status;
    })()`);
    assert.equal(created, 403);
  });
});
