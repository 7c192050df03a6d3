import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DIALECTS } from './support/test-db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { backoffMs } from '../src/pipeline/scheduler.ts';
import { getSourceById, listSourceEvents } from '../src/sources/source.repository.ts';

type Source = { id: number; status: string; lastError: string | null; consecutiveFailures: number; nextFetchAt: number; settings: Record<string, unknown>; itemsStored: number; enabled: boolean };
type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

describe('backoff', () => {
  it('doubles per failure from the base, with ±20 % jitter, capped at six hours', () => {
    assert.equal(backoffMs(60_000, 1, () => 0.5), 60_000);
    assert.equal(backoffMs(60_000, 3, () => 0.5), 240_000);
    assert.equal(backoffMs(60_000, 3, () => 0), 192_000);
    assert.equal(backoffMs(60_000, 3, () => 1), 288_000);
    assert.equal(backoffMs(60_000, 40, () => 0.5), 6 * 3_600_000);
  });
});

for (const dialect of DIALECTS) {
  describe(`sources (${dialect})`, () => {
    let t: TestApp;
    let ws: number;
    let feedServer: http.Server;
    let feedUrl: string;
    let failures = 0;

    before(async () => {
      t = await startTestApp(dialect, { FETCH_ALLOW_PRIVATE: 'loopback' });
      ws = (await t.api<{ id: number }>('POST', '/api/workspaces', { name: 'S' })).body.id;
      await t.api('POST', `/api/workspaces/${ws}/brands`, { name: 'Heise', query: 'heise OR linux OR security' });
      feedServer = http.createServer((_req, res) => {
        failures++;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
      });
      await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
      feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.xml`;
    });
    after(async () => {
      await t.close();
      feedServer.close();
    });

    it('validates settings per kind and names the bad field', async () => {
      const bad = await t.api<ErrorBody>('POST', `/api/workspaces/${ws}/sources`, { kind: 'rss', name: 'bad', settings: { url: 'not a url' } });
      assert.equal(bad.status, 400);
      assert.ok(bad.body.error.fields?.['settings.url']);
      const unknown = await t.api<ErrorBody>('POST', `/api/workspaces/${ws}/sources`, { kind: 'telepathy', name: 'x', settings: {} });
      assert.match(JSON.stringify(unknown.body), /unknown source kind/);
      const kinds = await t.api<{ items: { kind: string }[] }>('GET', '/api/source-kinds');
      assert.ok(['rss', 'file', 'webhook', 'demo'].every((k) => kinds.body.items.some((i) => i.kind === k)));
    });

    it('shows a webhook secret once at creation and masks it afterwards; a masked value sent back keeps the secret', async () => {
      const created = await t.api<Source>('POST', `/api/workspaces/${ws}/sources`, { kind: 'webhook', name: 'hook', settings: {} });
      const secret = created.body.settings.secret as string;
      assert.match(secret, /^whsec_/);
      const shown = await t.api<Source>('GET', `/api/workspaces/${ws}/sources/${created.body.id}`);
      assert.notEqual(shown.body.settings.secret, secret);
      assert.match(String(shown.body.settings.secret), /…/);
      await t.api('PATCH', `/api/workspaces/${ws}/sources/${created.body.id}`, { settings: { ...shown.body.settings } });
      const stored = await getSourceById(t.app.ctx.db.kysely, ws, created.body.id);
      assert.equal(stored.settings.secret, secret);
    });

    it('records a failing feed\'s error on the source and backs off; pausing stops it', async () => {
      const src = (await t.api<Source>('POST', `/api/workspaces/${ws}/sources`, { kind: 'rss', name: 'broken feed', settings: { url: feedUrl } })).body;
      const report = await t.app.ctx.scheduler.runNow(src.id, new AbortController().signal);
      assert.equal(report.ok, false);
      const after1 = (await t.api<Source>('GET', `/api/workspaces/${ws}/sources/${src.id}`)).body;
      assert.equal(after1.status, 'error');
      assert.match(after1.lastError ?? '', /HTTP 500/);
      assert.equal(after1.consecutiveFailures, 1);
      assert.ok(after1.nextFetchAt > Date.now() + 4_000, 'retry is scheduled later, not immediately');
      await t.app.ctx.scheduler.runNow(src.id, new AbortController().signal);
      const events = await listSourceEvents(t.app.ctx.db.kysely, src.id, 10);
      assert.equal(events.filter((e) => e.level === 'error').length, 2);
      assert.equal((await getSourceById(t.app.ctx.db.kysely, ws, src.id)).consecutiveFailures, 2);
      const paused = await t.api<Source>('PATCH', `/api/workspaces/${ws}/sources/${src.id}`, { enabled: false });
      assert.equal(paused.body.enabled, false);
      const refused = await t.api<Source>('POST', `/api/workspaces/${ws}/sources`, { kind: 'rss', name: 'metadata', settings: { url: 'http://169.254.169.254/latest/meta-data' } });
      const r = await t.app.ctx.scheduler.runNow(refused.body.id, new AbortController().signal);
      assert.match(r.error ?? '', /169\.254\.169\.254/);
    });

    it('replays a bundled dataset live through the demo source and resumes from its cursor', async () => {
      await t.api('POST', `/api/workspaces/${ws}/brands`, { name: 'United', query: '@united' });
      const demo = (await t.api<Source>('POST', `/api/workspaces/${ws}/sources`, { kind: 'demo', name: 'demo', settings: { dataset: 'airline-en', speed: 1_000_000, maxGapSeconds: 0.05 } })).body;
      const stop = new AbortController();
      const first = await t.app.ctx.scheduler.runNow(demo.id, stop.signal, (r) => {
        if (r.stored >= 30) stop.abort();
      });
      assert.ok(first.stored >= 30);
      const cursor = JSON.parse((await getSourceById(t.app.ctx.db.kysely, ws, demo.id)).cursor!) as { pass: number; index: number };
      assert.equal(cursor.pass, 1);
      const stop2 = new AbortController();
      const second = await t.app.ctx.scheduler.runNow(demo.id, stop2.signal, (r) => {
        if (r.batches >= 2) stop2.abort();
      });
      assert.equal(second.known, 0, 'resumed after the last committed item, nothing replayed twice');
      const page = await t.api<{ items: { channel: string; extra: { demo: string; originalPublishedAt: string } }[] }>('GET', `/api/workspaces/${ws}/mentions?source=${demo.id}&limit=5`);
      assert.equal(page.body.items[0]?.channel, 'twitter');
      assert.match(page.body.items[0]?.extra.originalPublishedAt ?? '', /^2015-02/);
    });

    it('runs due sources in the background scheduler', async () => {
      const before = failures;
      const src = (await t.api<Source>('POST', `/api/workspaces/${ws}/sources`, { kind: 'rss', name: 'scheduled', settings: { url: feedUrl } })).body;
      t.app.ctx.scheduler.start();
      for (let i = 0; i < 50 && failures === before; i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(failures > before, 'the scheduler fetched the feed');
      for (let i = 0; i < 50 && (await getSourceById(t.app.ctx.db.kysely, ws, src.id)).status !== 'error'; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal((await getSourceById(t.app.ctx.db.kysely, ws, src.id)).status, 'error');
    });
  });
}
