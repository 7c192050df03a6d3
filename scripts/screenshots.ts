/**
 * `npm run screenshots`: regenerates docs/screenshots/*.png. Starts Earshot on a temporary database with the
 * demo workspace (real public airline and support tweets), replays a day of those tweets through the
 * pipeline with their times spread over the last 24 hours, adds a feed that fails (to show an error), and
 * photographs the main pages in headless Chromium.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { seedDemoIfEmpty } from '../src/demo/demo.seed.ts';
import { loadDemoDataset } from '../src/demo/demo.source.ts';
import { createSource } from '../src/sources/source.service.ts';
import type { SourceItem } from '../src/pipeline/source.ts';
import { launchBrowser, startServer, type TestServer } from '../test/e2e/browser.ts';

const OUT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../docs/screenshots');
const DAY = 86_400_000;

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A day of tweets, newest at "now", sent through the real pipeline in batches. */
async function replayDay(server: TestServer, ws: number): Promise<void> {
  const ctx = server.app.ctx;
  const archive = await createSource(ctx, ws, { kind: 'webhook', name: 'Tweet archive (replayed)', settings: {} });
  const now = Date.now();
  for (const dataset of ['airline-en', 'airline-es', 'twcs'] as const) {
    const rows = (await loadDemoDataset(dataset)).slice(0, dataset === 'twcs' ? 3000 : 2500);
    const first = rows[0]!.time;
    const span = rows[rows.length - 1]!.time - first || 1;
    // Keep the original rhythm, squeezed into the last 23 hours (with threads intact for twcs).
    const items: SourceItem[] = rows.map((r) => ({ ...r.item, channel: 'twitter', publishedAt: now - DAY + 3_600_000 + ((r.time - first) / span) * (DAY - 3_700_000) }));
    for (let i = 0; i < items.length; i += 500) {
      await ctx.pipeline.process({ workspaceId: ws, sourceId: archive.id, sourceKind: 'webhook', fixedBrandId: null }, { items: items.slice(i, i + 500) });
    }
  }
}

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });
  console.log(`docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const server = await startServer({ FETCH_ALLOW_PRIVATE: 'loopback', DEMO_SPEED: '60' });
  const ws = (await seedDemoIfEmpty(server.app.ctx))!;
  await replayDay(server, ws);
  await createSource(server.app.ctx, ws, { kind: 'rss', name: 'Aviation news feed', settings: { url: `http://127.0.0.1:${await closedPort()}/feed.xml` } });
  await new Promise((r) => setTimeout(r, 2500));
  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.goto(`${server.url}/w/${ws}/overview`);
    await page.getByTestId('volume-chart').locator('canvas').waitFor();
    await shoot(page, 'overview', true);
    await page.goto(`${server.url}/w/${ws}/mentions?source=4`);
    await page.getByTestId('mention-row').first().waitFor();
    await page.getByTestId('mention-row').nth(2).click();
    await page.getByTestId('mention-detail').getByTestId('mention-text').first().waitFor();
    await shoot(page, 'mentions');
    await page.goto(`${server.url}/w/${ws}/brands`);
    await page.getByRole('button', { name: /Edit United/ }).click();
    await page.getByTestId('preview-summary').waitFor();
    await shoot(page, 'brands');
    await page.locator('#brand-query').fill('(@united OR "united airlines") AND NOT');
    await page.getByTestId('query-error').waitFor();
    await shoot(page, 'brands-syntax-error');
    await page.goto(`${server.url}/w/${ws}/sources`);
    await page.getByTestId('source-error').first().waitFor();
    await page.getByRole('button', { name: 'Aviation news feed' }).click();
    await page.getByTestId('source-events').locator('li').first().waitFor();
    await shoot(page, 'sources');
    await page.goto(`${server.url}/w/${ws}/overview`);
    await page.getByLabel('Language').last().selectOption('de');
    await page.getByTestId('volume-chart').locator('canvas').waitFor();
    await shoot(page, 'overview-de');
  } finally {
    await close();
    await server.close();
  }
}

await main();
