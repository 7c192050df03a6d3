import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/test-db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { insertWorkspace } from '../src/workspaces/workspace.repository.ts';
import { createBrand } from '../src/brands/brand.service.ts';
import { createSource } from '../src/sources/source.service.ts';
import { listMentions, getMentionDetail } from '../src/mentions/mention.repository.ts';
import { listDeadLetters } from '../src/pipeline/dead-letter.repository.ts';
import { retryDeadLetter } from '../src/pipeline/dead-letter.service.ts';
import { getSourceById } from '../src/sources/source.repository.ts';
import type { SourceItem } from '../src/pipeline/source.ts';
import { sql } from 'kysely';

const tweet = (id: string, text: string, extra: Partial<SourceItem> = {}): SourceItem => ({
  externalId: id,
  text,
  publishedAt: 'Tue Nov 14 11:53:06 +0000 2017',
  author: { handle: 'arya', name: 'Arya Stark', followers: 1200 },
  ...extra,
});

for (const dialect of DIALECTS) {
  describe(`pipeline (${dialect})`, () => {
    let t: TestApp;
    let ws: number;
    let united: number;
    let delta: number;
    let source: number;
    const ctx = () => t.app.ctx;
    const pctx = () => ({ workspaceId: ws, sourceId: source, sourceKind: 'webhook', fixedBrandId: null });

    before(async () => {
      t = await startTestApp(dialect);
      ws = (await insertWorkspace(ctx().db.kysely, 'Test', Date.now())).id;
      united = (await createBrand(ctx(), ws, { name: 'United', query: '@united OR "united airlines"' })).id;
      delta = (await createBrand(ctx(), ws, { name: 'Delta', kind: 'competitor', query: 'delta NOT (stock OR shares)', languages: ['en'] })).id;
      source = (await createSource(ctx(), ws, { kind: 'webhook', name: 'hook', settings: {} })).id;
    });
    after(() => t.close());

    it('stores matching items with their brands, authors and language, and counts the rest as filtered', async () => {
      const r = await ctx().pipeline.process(pctx(), {
        items: [
          tweet('1', '@united lost my bag again, third time this year'),
          tweet('2', 'Delta and United both late today, what a mess at the airport', { author: { handle: 'jon' } }),
          tweet('3', 'Just a tweet about the weather in Winterfell'),
          tweet('4', 'Delta stock shares are up'),
        ],
        cursor: 'c1',
      });
      assert.deepEqual([r.stored, r.filtered, r.failed], [2, 2, 0]);
      const page = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, {}, 10);
      const byId = new Map(page.items.map((m) => [m.externalId, m]));
      assert.deepEqual(byId.get('1')?.brandIds, [united]);
      assert.deepEqual(byId.get('2')?.brandIds.sort(), [united, delta].sort());
      assert.equal(byId.get('1')?.author?.handle, 'arya');
      assert.equal(byId.get('1')?.author?.followers, 1200);
      assert.equal(byId.get('1')?.lang, 'en');
      assert.equal(byId.get('1')?.publishedAt, Date.parse('2017-11-14T11:53:06Z'));
      assert.equal((await getSourceById(ctx().db.kysely, ws, source)).cursor, 'c1');
    });

    it('stores every field of an item in its own column', async () => {
      const item = tweet('cols-1', '@united the seat was broken', {
        title: 'Broken seat', url: 'https://example.com/p/1', lang: 'es', channel: 'forum', parentExternalId: 'cols-0',
        metrics: { likes: 11, shares: 12, replies: 13, views: 14 },
      });
      const r = await ctx().pipeline.process(pctx(), { items: [item], cursor: 'cols' });
      assert.equal(r.stored, 1);
      const row = await ctx().db.kysely.selectFrom('mentions').selectAll().where('external_id', '=', 'cols-1').executeTakeFirstOrThrow();
      assert.deepEqual(
        [row.workspace_id, row.source_id, row.channel, row.url, row.title, row.text, row.published_at, row.lang, row.lang_confidence],
        [ws, source, 'forum', 'https://example.com/p/1', 'Broken seat', '@united the seat was broken', Date.parse('2017-11-14T11:53:06Z'), 'es', 1],
      );
      assert.deepEqual([row.likes, row.shares, row.replies, row.views, row.parent_external_id, row.duplicate_of, row.duplicate_count], [11, 12, 13, 14, 'cols-0', null, 0]);
      assert.ok(row.author_id !== null && row.near_hash === null && row.ingested_at > 0);
    });

    it('never stores an item twice (same source + external id), within a batch or across batches', async () => {
      const items = [tweet('10', '@united flight UA 123 cancelled with no notice'), tweet('10', '@united flight UA 123 cancelled with no notice')];
      const first = await ctx().pipeline.process(pctx(), { items });
      const again = await ctx().pipeline.process(pctx(), { items });
      assert.equal(first.stored, 1);
      assert.equal(first.known, 1);
      assert.equal(again.stored, 0);
      assert.equal(again.known, 2);
      const page = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { q: 'cancelled' }, 10);
      assert.equal(page.items.length, 1);
    });

    it('marks retweets and cross-posts as near-duplicates of the original and hides them by default', async () => {
      const original = '@united your agent at gate C7 was rude and refused to rebook us';
      await ctx().pipeline.process(pctx(), { items: [tweet('20', original)] });
      const r = await ctx().pipeline.process(pctx(), {
        items: [tweet('21', `RT @arya: ${original}`), tweet('22', `${original.toUpperCase()} https://t.co/abc`)],
      });
      assert.equal(r.stored, 2);
      assert.equal(r.nearDuplicates, 2);
      const visible = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { q: 'rebook' }, 10);
      assert.deepEqual(visible.items.map((m) => m.externalId), ['20']);
      assert.equal(visible.items[0]?.duplicateCount, 2);
      const all = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { q: 'rebook', duplicates: true }, 10);
      assert.equal(all.items.length, 3);
      assert.ok(all.items.filter((m) => m.externalId !== '20').every((m) => m.duplicateOf === visible.items[0]?.id));
    });

    it('points each later copy at the first stored original of its text, never at an earlier copy', async () => {
      const a = '@united the wifi on UA 1172 has been down for three hours and nobody cares';
      const b = '@united lost my bag in Denver again, third time this year, still no call back';
      await ctx().pipeline.process(pctx(), { items: [tweet('140', a), tweet('141', b)] });
      await ctx().pipeline.process(pctx(), { items: [tweet('142', `RT @x: ${a}`)] });
      // One batch with copies of both stored originals and a text of its own.
      const r = await ctx().pipeline.process(pctx(), {
        items: [tweet('143', `RT @y: ${b}`), tweet('144', `RT @z: ${a}`), tweet('145', '@united the crew on UA 88 were wonderful, thank you')],
      });
      assert.deepEqual([r.stored, r.nearDuplicates], [3, 2]);
      const all = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { duplicates: true }, 100);
      const byExt = new Map(all.items.map((m) => [m.externalId, m]));
      const idOf = (ext: string) => byExt.get(ext)!.id;
      assert.deepEqual(['142', '143', '144', '145'].map((ext) => byExt.get(ext)!.duplicateOf), [idOf('140'), idOf('141'), idOf('140'), null]);
      assert.deepEqual([byExt.get('140')!.duplicateCount, byExt.get('141')!.duplicateCount], [2, 1]);
    });

    it('dead-letters items it cannot store, with the reason, and a corrected retry gets through', async () => {
      const r = await ctx().pipeline.process(pctx(), {
        items: [tweet('30', '   '), tweet('31', '@united ok', { publishedAt: 'yesterday-ish' }), tweet('32', '@united thanks!')],
        rejects: [{ error: 'line 7: not JSON', payload: { raw: '{oops' } }],
      });
      assert.equal(r.stored, 1);
      assert.equal(r.failed, 3);
      const letters = await listDeadLetters(ctx().db.kysely, ws, { status: 'pending' }, 10);
      const reasons = letters.map((d) => `${d.stage}: ${d.error}`).sort();
      assert.deepEqual(reasons, ['normalize: publishedAt "yesterday-ish" is not a date', 'normalize: the item has no text', 'source: line 7: not JSON']);
      const bad = letters.find((d) => d.externalId === '31')!;
      const again = await retryDeadLetter(ctx(), ws, bad.id);
      assert.equal(again.outcome, 'failed');
      assert.equal(again.deadLetter.attempts, 2);
      const fixed = await retryDeadLetter(ctx(), ws, bad.id, { ...(bad.payload as object), publishedAt: '2017-11-14T10:00:00Z' });
      assert.equal(fixed.outcome, 'stored');
      assert.equal(fixed.deadLetter.status, 'retried');
      const detail = await getMentionDetail(ctx().db.kysely, ws, fixed.mentionId!);
      assert.equal(detail.externalId, '31');
      const unreadable = letters.find((d) => d.stage === 'source')!;
      await assert.rejects(retryDeadLetter(ctx(), ws, unreadable.id), /corrected item/);
    });

    it('stores hostile HTML verbatim as text, and cleans broken Unicode', async () => {
      const hostile = '@united <img src=x onerror=alert(1)><script>alert("xss")</script> my bag';
      await ctx().pipeline.process(pctx(), { items: [tweet('40', hostile), tweet('41', '@united broken \ud800 surrogate\u0000 here')] });
      const page = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { q: 'onerror' }, 10);
      assert.equal(page.items[0]?.text, hostile);
      const broken = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { q: 'surrogate' }, 10);
      assert.equal(broken.items[0]?.text, '@united broken \ufffd surrogate here');
    });

    it('links replies to their parent in the thread view', async () => {
      await ctx().pipeline.process(pctx(), { items: [tweet('50', '@united where is my refund for UA 88?'), tweet('51', '@united still waiting on that refund', { parentExternalId: '50' })] });
      const page = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { q: 'refund' }, 10);
      const parent = page.items.find((m) => m.externalId === '50')!;
      const detail = await getMentionDetail(ctx().db.kysely, ws, parent.id);
      assert.deepEqual(detail.replies.map((m) => m.externalId), ['51']);
      const child = await getMentionDetail(ctx().db.kysely, ws, page.items.find((m) => m.externalId === '51')!.id);
      assert.equal(child.parent?.externalId, '50');
    });
    it('keeps the hourly and daily roll-ups equal to the 5-minute counts, per dimension', async () => {
      const at = (h: number) => new Date(Date.UTC(2017, 10, 20, h, 7)).toISOString();
      await ctx().pipeline.process(pctx(), {
        items: [
          tweet('60', '@united the crew on UA 900 was wonderful', { publishedAt: at(1) }),
          tweet('61', '@united lost my luggage in Denver', { publishedAt: at(1) }),
          tweet('62', '@united seat 12C is broken again', { publishedAt: at(23) }),
        ],
      });
      await ctx().pipeline.process(pctx(), { items: [tweet('63', '@united boarding has started late', { publishedAt: at(1) })] });
      const db = ctx().db.kysely;
      const counts = await db.selectFrom('mention_counts').select(['brand_id', 'bucket', 'sentiment', 'lang', 'source_id', 'n']).where('brand_id', '=', united).execute();
      for (const [grain, ms] of [['h', 3_600_000], ['d', 86_400_000]] as const) {
        const expected = new Map<string, number>();
        const add = (dim: string, bucket: number, value: string, n: number) => expected.set(`${dim}|${bucket}|${value}`, (expected.get(`${dim}|${bucket}|${value}`) ?? 0) + n);
        for (const c of counts) {
          const b = Math.trunc(Number(c.bucket) / ms) * ms;
          add('all', b, '', c.n);
          add('sentiment', b, c.sentiment, c.n);
          add('lang', b, c.lang, c.n);
          add('source', b, String(c.source_id), c.n);
        }
        const rows = await db.selectFrom('mention_rollups').select(['dim', 'bucket', 'value', 'n']).where('brand_id', '=', united).where('grain', '=', grain).execute();
        assert.deepEqual(new Map(rows.map((r) => [`${r.dim}|${Number(r.bucket)}|${r.value}`, r.n])), expected, `grain ${grain}`);
      }
      const day = Date.UTC(2017, 10, 20);
      const volume = await db.selectFrom('mention_rollups').select('n').where('brand_id', '=', united).where('grain', '=', 'd').where('dim', '=', 'all').where('bucket', '=', day).executeTakeFirst();
      assert.equal(volume?.n, 4);
    });

    it('indexes every stored mention for search, whatever else the batch writes', async () => {
      const words = ['zanzibar', 'quixotic', 'marmalade'];
      const r = await ctx().pipeline.process(pctx(), {
        items: [...words.map((w, i) => tweet(`7${i}`, `@united ${w} on my flight, RT-able words here for ${w}`, { author: { handle: `fan${i}`, followers: i } })), tweet('79', '   ')],
      });
      assert.equal(r.stored, 3);
      for (const w of words) assert.equal((await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { q: w }, 10)).items.length, 1, w);
      if (dialect === 'sqlite') {
        const check = await sql<{ ok: number }>`SELECT count(*) AS ok FROM mentions_fts WHERE mentions_fts MATCH 'quixotic'`.execute(ctx().db.kysely);
        assert.equal(check.rows[0]?.ok, 1);
      }
    });

    it('writes an author again only when something about them changed', async () => {
      await ctx().pipeline.process(pctx(), { items: [tweet('80', '@united first post', { author: { handle: 'sansa', name: 'Sansa', followers: 10 } })] });
      await ctx().pipeline.process(pctx(), { items: [tweet('81', '@united second post', { author: { handle: 'sansa' } })] });
      const author = () => ctx().db.kysely.selectFrom('authors').select(['id', 'name', 'followers']).where('workspace_id', '=', ws).where('handle', '=', 'sansa').executeTakeFirstOrThrow();
      const first = await author();
      assert.deepEqual([first.name, first.followers], ['Sansa', 10]);
      await ctx().pipeline.process(pctx(), { items: [tweet('82', '@united third post', { author: { handle: 'sansa', followers: 25 } })] });
      const later = await author();
      assert.deepEqual([later.id, later.name, later.followers], [first.id, 'Sansa', 25]);
      const page = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { q: 'post' }, 10);
      assert.ok(page.items.filter((m) => ['80', '81', '82'].includes(m.externalId)).every((m) => m.author?.id === first.id));
    });
  });
}
