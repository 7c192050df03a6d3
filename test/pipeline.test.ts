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
  });
}
