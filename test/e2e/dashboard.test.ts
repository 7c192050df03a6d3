/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against the real server on a
 * temporary SQLite database. Mentions are replayed from fixtures through a signed webhook, so they arrive
 * exactly as live traffic does.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import type { Page } from 'playwright-core';
import { launchBrowser, SKIP_BROWSER, startServer, type LaunchedBrowser, type TestServer } from './browser.ts';
import { apiCall, createWebhookSource, createWorkspace, deliver, type WebhookSource } from './replay.ts';

interface FixtureMention { id: string; text: string; author: string; lang: string; url?: string; likes?: number; replies?: number }
const fixtures = JSON.parse(fs.readFileSync(new URL('./fixtures/mentions.json', import.meta.url), 'utf8')) as { live: FixtureMention[]; more: FixtureMention[]; hostile: FixtureMention };

let clock = Date.now() - 30 * 60_000;
/** Fixture mentions with increasing times (each delivery is newer than the one before). */
const dated = (items: FixtureMention[]) => items.map((m) => ({ ...m, publishedAt: (clock += 60_000) }));

const rows = (page: Page) => page.getByTestId('mention-row');
/** Waits until the list holds `n` mentions (the list is virtualized: count what is loaded, not rendered). */
async function waitForRows(page: Page, n: number): Promise<void> {
  await page.locator(`[data-testid=loaded-count][data-n="${n}"]`).waitFor();
}
/** Runs in the page (the root tsconfig has no DOM types, so page code is passed as text). */
const inPage = <T>(page: Page, expression: string) => page.evaluate<T>(expression);

describe('dashboard in Chromium', { skip: SKIP_BROWSER, timeout: 120_000 }, () => {
  let server: TestServer;
  let chrome: LaunchedBrowser;
  let page: Page;
  let ws: number;
  let brandIds: Record<string, number>;
  let hook: WebhookSource;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    server = await startServer({ FETCH_ALLOW_PRIVATE: 'loopback' });
    ({ ws, brandIds } = await createWorkspace(server.url, 'E2E', [
      { name: 'Acme', kind: 'own', query: 'acme OR "acme corp"' },
      { name: 'Globex', kind: 'competitor', query: 'globex' },
    ]));
    hook = await createWebhookSource(server.url, ws, 'Fixture replay');
    chrome = await launchBrowser();
    page = await chrome.browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // HTTP errors are checked by URL below (the console only says "Failed to load resource").
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text()); });
    page.on('response', (r) => {
      // A server without the accounts feature answers 404 to the sign-in check; that is expected.
      if (r.status() >= 400 && !(r.status() === 404 && r.url().endsWith('/api/auth/me'))) pageErrors.push(`${r.status()} ${r.url()}`);
    });
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('shows new mentions live, without a reload', async () => {
    await page.goto(`${server.url}/w/${ws}/mentions`);
    await page.getByText('Waiting for the first mention').waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    await inPage(page, 'window.__marker = 1');
    await deliver(server.url, hook, dated(fixtures.live));
    await waitForRows(page, 3);
    assert.match(await rows(page).first().innerText(), /Globex hat meine Bestellung/, 'newest first');
    assert.equal(await inPage(page, 'window.__marker'), 1, 'the page was not reloaded');
  });

  it('narrows the list and the chart with filters; numbers link to the filtered list', async () => {
    await deliver(server.url, hook, dated(fixtures.more));
    await waitForRows(page, 8);
    await page.locator('select[name=brand]').selectOption(String(brandIds.Globex));
    await waitForRows(page, 4);
    for (const text of await rows(page).allInnerTexts()) assert.match(text, /Globex/);
    await page.locator('select[name=lang]').selectOption('de');
    await waitForRows(page, 2);
    assert.match(page.url(), /brand=\d+.*lang=de|lang=de.*brand=\d+/);
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByPlaceholder('Name of the view').fill('German Globex');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitForRows(page, 8);
    await page.getByRole('combobox', { name: 'Saved views' }).selectOption('German Globex');
    await waitForRows(page, 2);

    await page.goto(`${server.url}/w/${ws}/overview`);
    const chart = page.getByTestId('volume-chart');
    await chart.locator('canvas').waitFor();
    assert.equal(await chart.getAttribute('data-total'), '9', '5 Acme + 4 Globex brand mentions');
    await page.getByRole('combobox', { name: 'Brand' }).selectOption(String(brandIds.Globex));
    await page.locator('[data-testid=volume-chart][data-total="4"]').waitFor();
    await page.getByRole('list', { name: 'Languages' }).getByRole('link', { name: /German/ }).click();
    await page.waitForURL(/\/mentions\?/);
    assert.match(page.url(), /lang=de/);
    assert.match(page.url(), new RegExp(`brand=${brandIds.Globex}`));
    await waitForRows(page, 2);
  });

  it('renders hostile mention text as inert text', async () => {
    await page.goto(`${server.url}/w/${ws}/mentions`);
    await waitForRows(page, 8);
    await deliver(server.url, hook, dated([fixtures.hostile]));
    await waitForRows(page, 9);
    const row = rows(page).first();
    assert.match(await row.innerText(), /<img src=x onerror="window.__pwned=1;alert\('img'\)">/);
    assert.match(await row.innerText(), /<script>window.__pwned=2;alert\('script'\)<\/script>/);
    await row.click();
    const detail = page.getByTestId('mention-detail');
    await detail.getByText('<b>mallory</b>', { exact: false }).waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#root img').count(), 0, 'no <img> element was created from mention text');
    assert.equal(await page.locator('#root script, a[href^="javascript:"]').count(), 0);
    assert.equal(await detail.getByTestId('original-link').count(), 0, 'a javascript: URL is never a link');
    assert.equal(await inPage(page, 'typeof window.__pwned'), 'undefined');
    assert.deepEqual(dialogs, []);
  });

  it('moves through the list with the keyboard and opens a mention with Enter', async () => {
    await page.goto(`${server.url}/w/${ws}/mentions`);
    await waitForRows(page, 9);
    await page.getByRole('listbox').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const second = await rows(page).nth(1).getByTestId('mention-text').innerText();
    await page.getByTestId('mention-detail').getByText(second).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('mention-detail').waitFor({ state: 'detached' });
  });

  it('holds new mentions behind an "n new" pill when the reader has scrolled down', async () => {
    const filler = Array.from({ length: 25 }, (_, i) => ({ id: `fill-${i}`, text: `Acme order ${i} arrived`, author: `buyer${i}`, lang: 'en' }));
    await deliver(server.url, hook, dated(filler));
    await waitForRows(page, 34);
    await page.getByRole('listbox').evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
    await page.waitForTimeout(200);
    await deliver(server.url, hook, dated([{ id: 'late-1', text: 'Acme late news one', author: 'x1', lang: 'en' }, { id: 'late-2', text: 'Acme late news two', author: 'x2', lang: 'en' }]));
    await page.getByTestId('new-pill').filter({ hasText: '2 new' }).waitFor();
    await page.getByTestId('new-pill').click();
    await page.getByTestId('new-pill').waitFor({ state: 'detached' });
    assert.match(await rows(page).first().innerText(), /Acme late news two/);
  });

  it('shows a syntax error in a brand query inline, and a live preview once it is fixed', async () => {
    await page.goto(`${server.url}/w/${ws}/brands`);
    await page.getByRole('button', { name: 'Add brand' }).click();
    await page.getByLabel('Name').fill('Acme refunds');
    await page.locator('#brand-query').fill('acme AND (refund OR');
    const error = page.getByTestId('query-error');
    await error.waitFor();
    assert.match(await error.innerText(), /position \d+/);
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true);
    await page.locator('#brand-query').fill('acme AND refund*');
    await error.waitFor({ state: 'detached' });
    await page.getByTestId('preview-summary').filter({ hasText: /^1 of the newest \d+ stored mentions$/ }).waitFor();
    await page.getByTestId('brand-preview').getByText('Still waiting for the Acme refund').waitFor();
  });

  it('adds a source through the form and shows its error when it fails', async () => {
    const port = await closedPort();
    await page.goto(`${server.url}/w/${ws}/sources`);
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.locator('select[name=kind]').selectOption('rss');
    await page.locator('input[name=name]').fill('Broken feed');
    await page.locator('#setting-url').fill(`http://127.0.0.1:${port}/feed.xml`);
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.getByTestId('source-row').filter({ hasText: 'Broken feed' });
    await row.getByTestId('source-error').filter({ hasText: /refused/ }).waitFor({ timeout: 15_000 });
    assert.match(await row.innerText(), /Error/);
    await page.getByTestId('source-events').getByText(/refused/).first().waitFor();
  });

  it('shows an item that could not be stored, and stores it once corrected', async () => {
    await deliver(server.url, hook, [{ id: 'bad-1', body_html: 'Acme lost my parcel' }]);
    await page.goto(`${server.url}/w/${ws}/sources`);
    await page.getByTestId('source-row').filter({ hasText: 'Fixture replay' }).getByRole('button', { name: 'Fixture replay' }).click();
    const item = page.getByTestId('dead-letter');
    await item.waitFor();
    await item.locator('textarea').fill(JSON.stringify({ externalId: 'bad-1', text: 'Acme lost my parcel (fixed by hand)' }));
    await item.getByRole('button', { name: 'Retry with this item' }).click();
    await page.getByTestId('dead-letters').getByText('None: every item was stored or filtered.').waitFor();
    const found = await apiCall<{ items: { text: string }[] }>(server.url, 'GET', `/workspaces/${ws}/mentions?q=parcel`);
    assert.deepEqual(found.items.map((m) => m.text), ['Acme lost my parcel (fixed by hand)']);
  });

  it('switches the interface to German', async () => {
    await page.goto(`${server.url}/w/${ws}/overview`);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
    await page.getByRole('link', { name: 'Erwähnungen', exact: true }).waitFor();
    assert.equal(await inPage(page, 'document.documentElement.lang'), 'de');
    await page.getByRole('combobox', { name: 'Sprache' }).first().selectOption('en');
    await page.getByRole('link', { name: 'Mentions', exact: true }).waitFor();
  });

  it('offers to create the first admin while the API is open, and requires sign-in from then on', async () => {
    await page.goto(`${server.url}/w/${ws}/overview`);
    await page.getByRole('button', { name: 'Open to anyone: create the first admin' }).click();
    const form = page.getByRole('form', { name: 'Create the first admin' });
    await form.getByLabel('Name').fill('Ada Admin');
    await form.getByLabel('E-mail').fill('ada@example.test');
    await form.getByLabel('Password').fill('correct horse battery staple 42');
    await form.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.getByRole('button', { name: 'Open to anyone: create the first admin' }).waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('volume-chart').waitFor();
    await chrome.browser.clearCookies();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('logged no script errors and made no failing API calls', () => {
    assert.deepEqual(pageErrors, []);
  });
});

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}
