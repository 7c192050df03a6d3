/**
 * The radar page in Chromium against the real server (default models, SQLite file): two calm days are stored
 * through the pipeline in 6-hour chunks (an import: the chunks must not close the rest of the two days with
 * zeros, or the calm would look like a spike), then a surge of complaints arrives now. The page shows the brand's stream with its
 * expected band and the alert marked, lists the alert, opens its detail (the sentence, the mentions behind it)
 * and acknowledges it; German labels come from the catalog.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchBrowser, SKIP_BROWSER, startServer, type LaunchedBrowser, type TestServer } from './browser.ts';
import { createWorkspace } from './replay.ts';
import { createSource } from '../../src/sources/source.service.ts';
import { BUCKET, DAY, calmItems, surgeItems } from '../radar/synthetic.ts';

describe('radar page in Chromium', { skip: SKIP_BROWSER, timeout: 120_000 }, () => {
  let server: TestServer;
  let chrome: LaunchedBrowser;
  let page: Page;
  let ws: number;
  const pageErrors: string[] = [];

  before(async () => {
    server = await startServer({ FETCH_ALLOW_PRIVATE: 'loopback', RUN_SOURCES: 'false' });
    let brandIds: Record<string, number>;
    ({ ws, brandIds } = await createWorkspace(server.url, 'Radar E2E', [{ name: 'Skyways', kind: 'own', query: 'skyways' }]));
    const ctx = server.app.ctx;
    const source = await createSource(ctx, ws, { kind: 'webhook', name: 'replay', settings: {}, brandId: brandIds.Skyways! });
    const pctx = { workspaceId: ws, sourceId: source.id, sourceKind: 'webhook', fixedBrandId: brandIds.Skyways! };
    const now = Math.floor(Date.now() / BUCKET) * BUCKET;
    const start = now - 2 * DAY;
    for (let h = start; h < now; h += 6 * 3_600_000) await ctx.pipeline.process(pctx, { items: calmItems(h, Math.min(now, h + 6 * 3_600_000)), cursor: null });
    await ctx.pipeline.process(pctx, { items: surgeItems(now, 60).map((m) => ({ ...m, publishedAt: Math.min(Date.now(), m.publishedAt as number) })), cursor: null });
    await ctx.radar.idle();
    chrome = await launchBrowser();
    page = await chrome.browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 404 && r.url().endsWith('/api/auth/me'))) pageErrors.push(`${r.status()} ${r.url()}`);
    });
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('shows the stream with its band and the alert marked, and the alert in the list', async () => {
    await page.goto(`${server.url}/w/${ws}/radar`);
    const chart = page.getByTestId('radar-chart');
    await chart.waitFor();
    assert.ok(Number(await chart.getAttribute('data-total')) > 100);
    assert.equal(await chart.getAttribute('data-alerts'), '1');
    await page.getByTestId('alert-list').getByText('Volume spike: Skyways').first().waitFor();
  });

  it('opens an alert with its explanation and the mentions behind it, and acknowledges it', async () => {
    await page.getByRole('button', { name: /Open alert: Volume spike: Skyways/ }).click();
    const detail = page.getByTestId('alert-detail');
    await detail.waitFor();
    assert.match(await page.getByTestId('alert-summary').innerText(), /Mentions of Skyways: \d+ in 5 minutes .* expected/);
    const behind = await page.getByTestId('alert-mentions').locator('li').count();
    assert.ok(behind >= 60, `mentions behind the alert: ${behind}`);
    assert.match(page.url(), /alert=\d+/);
    await detail.getByRole('button', { name: 'Acknowledge' }).click();
    await detail.getByText('Acknowledged').waitFor();
    assert.deepEqual(pageErrors, []);
  });

  it('speaks German', async () => {
    await page.locator('header select').last().selectOption('de');
    await page.getByRole('heading', { name: 'Radar' }).waitFor();
    await page.getByText('Alarme', { exact: true }).waitFor();
  });
});
