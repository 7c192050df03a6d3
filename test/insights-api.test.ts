/**
 * The dashboard's own endpoints on every dialect: Overview volume and totals (from the roll-up tables, checked
 * against counting the mentions themselves), top authors by reach, and the brand-query preview.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/test-db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import type { Enricher } from '../src/enrich/enricher.ts';
import type { SourceItem } from '../src/pipeline/source.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-02T00:00:00Z');

/** Sentiment by keyword, so the totals have something to split. */
const keywordSentiment: Enricher = {
  name: 'keyword-sentiment',
  enrich: (input) => ({ sentiment: /awful|late/.test(input.text) ? { label: 'negative', score: 0.9 } : /great/.test(input.text) ? { label: 'positive', score: 0.9 } : null }),
};

type Totals = Record<'brand' | 'sentiment' | 'lang' | 'source', { key: string; n: number }[]>;
type Overview = { bucket: string; volume: { bucket: number; brandId: number; n: number }[]; totals: Totals };
type Author = { handle: string; followers: number | null; mentions: number; engagement: number };

/** 3 days of mentions every 7 minutes: Acme always, Globex every third, German every fifth. */
function items(): SourceItem[] {
  return Array.from({ length: (3 * DAY) / (7 * MIN) }, (_, i) => ({
    externalId: `m${i}`,
    text: `${i % 3 === 0 ? 'acme and globex' : 'acme'} ${i % 4 === 0 ? 'awful' : i % 4 === 1 ? 'great' : 'fine'} number ${i}`,
    publishedAt: T0 + i * 7 * MIN,
    lang: i % 5 === 0 ? 'de' : 'en',
    author: { handle: `a${i % 6}`, followers: i % 6 < 3 ? (i % 6) * 1000 + 10 : null },
    metrics: { likes: 1 },
  }));
}

/** What the totals must be, counted from the items themselves. */
function expected(all: SourceItem[], from: number, to: number): { acme: number; globex: number; de: number; negative: number } {
  const inRange = all.filter((m) => (m.publishedAt as number) >= from && (m.publishedAt as number) < to);
  const globex = inRange.filter((m) => m.text.includes('globex'));
  const pairs = [...inRange, ...globex];
  return { acme: inRange.length, globex: globex.length, de: pairs.filter((m) => m.lang === 'de').length, negative: pairs.filter((m) => m.text.includes('awful')).length };
}

const get = (totals: { key: string; n: number }[], key: string | number) => totals.find((t) => t.key === String(key))?.n ?? 0;

for (const dialect of DIALECTS) {
  describe(`insights API (${dialect})`, () => {
    let t: TestApp;
    let ws: number;
    let acme: number;
    let globex: number;
    const all = items();

    before(async () => {
      t = await startTestApp(dialect, {}, { enrichers: [keywordSentiment] });
      ws = (await t.api<{ id: number }>('POST', '/api/workspaces', { name: 'W' })).body.id;
      acme = (await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/brands`, { name: 'Acme', query: 'acme' })).body.id;
      globex = (await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/brands`, { name: 'Globex', kind: 'competitor', query: 'globex' })).body.id;
      const source = (await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/sources`, { kind: 'webhook', name: 'h', settings: {} })).body.id;
      for (let i = 0; i < all.length; i += 200) {
        await t.app.ctx.pipeline.process({ workspaceId: ws, sourceId: source, sourceKind: 'webhook', fixedBrandId: null }, { items: all.slice(i, i + 200) });
      }
    });
    after(async () => t?.close());

    const overview = async (q: string) => {
      const res = await t.api<Overview>('GET', `/api/workspaces/${ws}/insights/overview?${q}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    it('totals are exact for ranges that cut through days, hours and 5-minute buckets', async () => {
      for (const [from, to] of [[T0 + 7 * HOUR + 35 * MIN, T0 + 2 * DAY + 3 * HOUR + 10 * MIN], [T0, T0 + 3 * DAY], [T0 + 20 * MIN, T0 + 50 * MIN], [T0 + 23 * HOUR, T0 + 25 * HOUR + 5 * MIN]] as const) {
        const { totals } = await overview(`from=${from}&to=${to}`);
        const want = expected(all, from, to);
        assert.equal(get(totals.brand, acme), want.acme, `acme ${from}–${to}`);
        assert.equal(get(totals.brand, globex), want.globex, `globex ${from}–${to}`);
        assert.equal(get(totals.lang, 'de'), want.de);
        assert.equal(get(totals.sentiment, 'negative'), want.negative);
        assert.equal(totals.source.reduce((s, r) => s + r.n, 0), want.acme + want.globex, 'every brand mention has a source');
      }
    });

    it('volume per bucket adds up to the totals, for hourly, daily and 5-minute buckets', async () => {
      for (const [bucket, from, to] of [['1h', T0, T0 + 2 * DAY], ['1d', T0, T0 + 3 * DAY], ['5m', T0 + HOUR, T0 + 3 * HOUR]] as const) {
        const { volume } = await overview(`from=${from}&to=${to}&bucket=${bucket}`);
        const want = expected(all, from, to);
        assert.equal(volume.filter((v) => v.brandId === acme).reduce((s, v) => s + v.n, 0), want.acme, bucket);
        assert.ok(volume.every((v) => v.bucket % { '1h': HOUR, '1d': DAY, '5m': 5 * MIN }[bucket] === 0));
      }
    });

    it('narrows to one brand', async () => {
      const { totals, volume } = await overview(`from=${T0}&to=${T0 + 3 * DAY}&brand=${globex}`);
      assert.deepEqual(totals.brand.map((b) => b.key), [String(globex)]);
      assert.ok(volume.every((v) => v.brandId === globex));
      assert.equal(get(totals.lang, 'de'), all.filter((m) => m.text.includes('globex') && m.lang === 'de').length);
    });

    it('refuses a range with too many buckets and an empty range', async () => {
      assert.equal((await t.api('GET', `/api/workspaces/${ws}/insights/overview?from=0&to=${T0}&bucket=5m`)).status, 400);
      assert.equal((await t.api('GET', `/api/workspaces/${ws}/insights/overview?from=${T0}&to=${T0}`)).status, 400);
    });

    it('ranks top authors by followers, then authors without a count by mentions', async () => {
      const res = await t.api<{ items: Author[] }>('GET', `/api/workspaces/${ws}/insights/top-authors?from=${T0}&to=${T0 + 3 * DAY}&limit=5`);
      assert.deepEqual(res.body.items.map((a) => a.handle), ['a2', 'a1', 'a0', 'a3', 'a4']);
      assert.equal(res.body.items[0]!.followers, 2010);
      assert.equal(res.body.items[0]!.mentions, all.filter((m) => m.author?.handle === 'a2').length);
      assert.equal(res.body.items[0]!.engagement, res.body.items[0]!.mentions, 'one like each');
      const brand = await t.api<{ items: Author[] }>('GET', `/api/workspaces/${ws}/insights/top-authors?from=${T0}&to=${T0 + 3 * DAY}&brand=${globex}`);
      // Globex is in every third mention, i.e. only authors a0 and a3 (i % 6 ∈ {0, 3}).
      assert.deepEqual(brand.body.items.map((a) => a.handle), ['a0', 'a3']);
    });

    it('keeps the roll-up in step when a brand is deleted', async () => {
      const gone = (await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/brands`, { name: 'Late', query: 'late' })).body.id;
      const source = (await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/sources`, { kind: 'webhook', name: 'h2', settings: {} })).body.id;
      await t.app.ctx.pipeline.process({ workspaceId: ws, sourceId: source, sourceKind: 'webhook', fixedBrandId: null }, { items: [{ externalId: 'late-1', text: 'late again', publishedAt: T0 + HOUR }] });
      assert.equal(get((await overview(`from=${T0}&to=${T0 + DAY}`)).totals.brand, gone), 1);
      assert.equal((await t.api('DELETE', `/api/workspaces/${ws}/brands/${gone}`)).status, 204);
      assert.equal(get((await overview(`from=${T0}&to=${T0 + DAY}`)).totals.brand, gone), 0);
    });

    it('previews a brand query over the newest stored mentions', async () => {
      const res = await t.api<{ scanned: number; matched: number; items: { text: string }[] }>('POST', `/api/workspaces/${ws}/brand-preview`, { query: 'globex AND awful', window: 300, limit: 5 });
      assert.equal(res.status, 200);
      assert.equal(res.body.scanned, 300);
      const newest = [...all].reverse().slice(0, 300);
      assert.equal(res.body.matched, newest.filter((m) => m.text.includes('globex') && m.text.includes('awful')).length);
      assert.equal(res.body.items.length, 5);
      assert.ok(res.body.items.every((m) => /globex.*awful/.test(m.text)));
      const german = await t.api<{ matched: number }>('POST', `/api/workspaces/${ws}/brand-preview`, { query: 'acme', languages: ['de'], window: 300 });
      assert.equal(german.body.matched, newest.filter((m) => m.lang === 'de').length);
    });

    it('reports a syntax error in a previewed query with its position', async () => {
      const res = await t.api<{ error: { code: string; position: number; fields: Record<string, string> } }>('POST', `/api/workspaces/${ws}/brand-preview`, { query: 'acme AND (refund OR' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'validation');
      assert.equal(typeof res.body.error.position, 'number');
      assert.ok(res.body.error.fields.query);
    });
  });
}
