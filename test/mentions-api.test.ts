import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/test-db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import type { SourceItem } from '../src/pipeline/source.ts';

type Page = { items: { id: number; externalId: string; lang: string; brandIds: number[] }[]; nextCursor: string | null };

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T08:00:00Z');

/** Reads SSE events from a stream until `count` mentions arrived. */
async function readEvents(res: Response, count: number): Promise<{ id: number; data: { externalId: string } }[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: { id: number; data: { externalId: string } }[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id && data) events.push({ id: Number(id), data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}

for (const dialect of DIALECTS) {
  describe(`mentions API (${dialect})`, () => {
    let t: TestApp;
    let ws: number;
    let brands: { acme: number; globex: number };
    let source: number;
    const ingest = (items: SourceItem[]) => t.app.ctx.pipeline.process({ workspaceId: ws, sourceId: source, sourceKind: 'webhook', fixedBrandId: null }, { items });

    before(async () => {
      t = await startTestApp(dialect);
      ws = (await t.api<{ id: number }>('POST', '/api/workspaces', { name: 'W' })).body.id;
      const acme = (await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/brands`, { name: 'Acme', query: 'acme' })).body.id;
      const globex = (await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/brands`, { name: 'Globex', kind: 'competitor', query: 'globex' })).body.id;
      brands = { acme, globex };
      source = (await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/sources`, { kind: 'webhook', name: 'h', settings: {} })).body.id;
      const items: SourceItem[] = [];
      for (let i = 0; i < 30; i++) {
        const text = i % 3 === 0 ? `Globex shipment number ${i} arrived broken, the box was crushed` : i % 3 === 1 ? `Acme hat mir die Rechnung ${i} doppelt berechnet, bitte erstatten` : `Acme el pedido ${i} llegó tarde otra vez, muy mal servicio`;
        items.push({ externalId: `m${i}`, text, publishedAt: T0 + i * HOUR, channel: i < 5 ? 'email' : 'twitter', author: { handle: i % 2 ? 'odd' : 'even' } });
      }
      await ingest(items);
    });
    after(() => t.close());

    it('filters by brand, language, text and time, newest first', async () => {
      const acme = await t.api<Page>('GET', `/api/workspaces/${ws}/mentions?brand=${brands.acme}&limit=100`);
      assert.equal(acme.body.items.length, 20);
      assert.ok(acme.body.items.every((m) => m.brandIds.includes(brands.acme)));
      const ids = acme.body.items.map((m) => m.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
      const german = await t.api<Page>('GET', `/api/workspaces/${ws}/mentions?lang=de&limit=100`);
      assert.equal(german.body.items.length, 10);
      const text = await t.api<Page>('GET', `/api/workspaces/${ws}/mentions?q=${encodeURIComponent('crushed box')}`);
      assert.equal(text.body.items.length, 10);
      const hyphen = await t.api<Page>('GET', `/api/workspaces/${ws}/mentions?q=${encodeURIComponent('globex-shipment "crushed"')}`);
      assert.equal(hyphen.body.items.length, 10);
      const prefix = await t.api<Page>('GET', `/api/workspaces/${ws}/mentions?q=erstat*`);
      assert.equal(prefix.body.items.length, 10);
      const email = await t.api<Page>('GET', `/api/workspaces/${ws}/mentions?channel=email&limit=100`);
      assert.deepEqual(email.body.items.map((m) => m.externalId).sort(), ['m0', 'm1', 'm2', 'm3', 'm4']);
      // Authors are per channel: the newest mention (m29, twitter, odd) is by "odd" on twitter: m5, m7 … m29.
      const newest = (await t.api<Page & { items: { author: { id: number } }[] }>('GET', `/api/workspaces/${ws}/mentions?limit=1`)).body.items[0]!;
      const byAuthor = await t.api<Page>('GET', `/api/workspaces/${ws}/mentions?author=${newest.author.id}&limit=100`);
      assert.equal(byAuthor.body.items.length, 13);
      const window = await t.api<Page>('GET', `/api/workspaces/${ws}/mentions?from=${T0 + 10 * HOUR}&to=${new Date(T0 + 20 * HOUR).toISOString()}`);
      assert.equal(window.body.items.length, 10);
    });

    it('pages with a cursor without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: Page } = await t.api<Page>('GET', `/api/workspaces/${ws}/mentions?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.body.items.map((m) => m.externalId));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.equal(seen.length, 30);
      assert.equal(new Set(seen).size, 30);
      const bad = await t.api<{ error: { code: string } }>('GET', `/api/workspaces/${ws}/mentions?cursor=nonsense`);
      assert.equal(bad.body.error.code, 'validation');
    });

    it('counts per bucket and brand from the pre-aggregated table', async () => {
      const r = await t.api<{ items: { bucket: number; key: number; n: number }[] }>('GET', `/api/workspaces/${ws}/mentions/counts?bucket=1d&groupBy=brand&from=${T0 - HOUR}&to=${T0 + 40 * HOUR}`);
      const total = (brand: number) => r.body.items.filter((i) => Number(i.key) === brand).reduce((s, i) => s + i.n, 0);
      assert.equal(total(brands.acme), 20);
      assert.equal(total(brands.globex), 10);
      assert.ok(r.body.items.every((i) => i.bucket % 86_400_000 === 0));
      const byLang = await t.api<{ items: { key: string; n: number }[] }>('GET', `/api/workspaces/${ws}/mentions/counts?bucket=1h&groupBy=lang&from=${T0}&to=${T0 + 40 * HOUR}&brand=${brands.acme}`);
      assert.deepEqual([...new Set(byLang.body.items.map((i) => i.key))].sort(), ['de', 'es']);
      const tooFine = await t.api<{ error: { code: string } }>('GET', `/api/workspaces/${ws}/mentions/counts?bucket=5m&from=0`);
      assert.equal(tooFine.body.error.code, 'validation');
    });

    it('streams new mentions live and catches up after a reconnect with Last-Event-ID', async () => {
      const res = await fetch(`${t.url}/api/workspaces/${ws}/mentions/stream?brand=${brands.acme}`);
      assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      const events = readEvents(res, 2);
      await new Promise((r) => setTimeout(r, 50));
      await ingest([{ externalId: 'live1', text: 'acme live one' }, { externalId: 'other', text: 'globex only' }, { externalId: 'live2', text: 'acme live two' }]);
      const got = await events;
      assert.deepEqual(got.map((e) => e.data.externalId), ['live1', 'live2']);
      await ingest([{ externalId: 'missed', text: 'acme while you were away' }]);
      const again = await fetch(`${t.url}/api/workspaces/${ws}/mentions/stream?brand=${brands.acme}`, { headers: { 'last-event-id': String(got[1]!.id) } });
      const caught = await readEvents(again, 1);
      assert.equal(caught[0]?.data.externalId, 'missed');
    });
  });
}
