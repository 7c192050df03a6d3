import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/test-db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import type { SourceItem } from '../src/pipeline/source.ts';
import type { Kysely } from 'kysely';
import { workspaceModelsOf } from '../src/corrections/workspace-models.runtime.ts';
import type { Database } from '../src/corrections/correction.tables.ts';

type Mention = { id: number; externalId: string; sentiment: { label: string; score: number | null } | null; topics: string[] };
type Status = { trainedAt: number | null; trainedOn: number; corrections: number; pending: number; examples: { sentiment: number; topics: number } | null };

const T0 = Date.parse('2026-11-02T08:00:00Z');
// A concert promoter: to its agents "sold out" is good news, which the base sentiment model does not know.
const SOLD_OUT = [
  'Acme: sold out again, the whole tour', 'Acme tickets for Friday sold out in ten minutes', 'The Acme Hamburg show sold out overnight',
  'Acme sold out!!! see you all in Madrid', 'Acme adds a second date after the first one sold out', 'Acme completely sold out, thank you fans',
  'Acme Vienna is sold out', 'Acme: both nights sold out', 'Acme sold out the arena', 'Another sold out Acme night in Lyon',
];

for (const dialect of DIALECTS) {
  describe(`corrections and workspace models (${dialect})`, () => {
    let t: TestApp;
    let ws: number;
    let source: number;
    let seq = 0;
    const ingest = (texts: string[]) => t.app.ctx.pipeline.process(
      { workspaceId: ws, sourceId: source, sourceKind: 'webhook', fixedBrandId: null },
      { items: texts.map((text): SourceItem => ({ externalId: `m${seq++}`, text, publishedAt: T0 + seq * 60_000, author: { handle: 'fan' } })) },
    );
    const mentions = async () => (await t.api<{ items: Mention[] }>('GET', `/api/workspaces/${ws}/mentions?limit=200`)).body.items;
    const sentimentCounts = async () => {
      const res = await t.api<{ items: { key: string; n: number }[] }>('GET', `/api/workspaces/${ws}/mentions/counts?groupBy=sentiment&bucket=1d&from=${T0 - 86_400_000}&to=${T0 + 86_400_000}`);
      const out: Record<string, number> = {};
      for (const r of res.body.items) out[r.key] = (out[r.key] ?? 0) + Number(r.n);
      return out;
    };

    before(async () => {
      t = await startTestApp(dialect);
      ws = (await t.api<{ id: number }>('POST', '/api/workspaces', { name: 'Promoter' })).body.id;
      await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/brands`, { name: 'Acme', query: 'acme' });
      source = (await t.api<{ id: number }>('POST', `/api/workspaces/${ws}/sources`, { kind: 'webhook', name: 'h', settings: {} })).body.id;
      await ingest(SOLD_OUT);
    });
    after(() => t.close());

    it('stores a correction and applies it to the mention and its counts', async () => {
      const [m] = (await mentions()).filter((x) => x.externalId === 'm0');
      const before = await sentimentCounts();
      const res = await t.api<{ mentionId: number; sentiment: string; topics: string[] | null; previous: { sentiment: string | null } }>(
        'POST', `/api/workspaces/${ws}/mentions/${m!.id}/correction`, { sentiment: 'positive', topics: ['other'] });
      assert.equal(res.status, 200);
      assert.equal(res.body.sentiment, 'positive');
      assert.deepEqual(res.body.topics, ['other']);
      assert.equal(res.body.previous.sentiment, m!.sentiment?.label ?? null);
      const after = (await mentions()).find((x) => x.id === m!.id)!;
      assert.deepEqual(after.sentiment, { label: 'positive', score: 1 });
      assert.deepEqual(after.topics, ['other']);
      const counts = await sentimentCounts();
      assert.equal(counts.positive ?? 0, (before.positive ?? 0) + 1);
      assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), Object.values(before).reduce((a, b) => a + b, 0));
      // The daily roll-ups (what the Overview reads for long ranges) agree with the 5-minute counts.
      const rollups = await (t.app.ctx.db.kysely as unknown as Kysely<Database>).selectFrom('mention_rollups').select(['value', 'n'])
        .where('grain', '=', 'd').where('dim', '=', 'sentiment').execute();
      const byValue: Record<string, number> = {};
      for (const r of rollups) if (Number(r.n)) byValue[r.value || 'none'] = (byValue[r.value || 'none'] ?? 0) + Number(r.n);
      assert.deepEqual(byValue, Object.fromEntries(Object.entries(counts).filter(([, n]) => n).map(([k, n]) => [k || 'none', n])));
      const again = await t.api<{ correction: { sentiment: string } }>('GET', `/api/workspaces/${ws}/mentions/${m!.id}/correction`);
      assert.equal(again.body.correction.sentiment, 'positive');
    });

    it('refuses empty or unknown labels and unknown mentions', async () => {
      const [m] = await mentions();
      assert.equal((await t.api('POST', `/api/workspaces/${ws}/mentions/${m!.id}/correction`, {})).status, 400);
      assert.equal((await t.api('POST', `/api/workspaces/${ws}/mentions/${m!.id}/correction`, { sentiment: 'angry' })).status, 400);
      assert.equal((await t.api('POST', `/api/workspaces/${ws}/mentions/${m!.id}/correction`, { topics: ['weather'] })).status, 400);
      assert.equal((await t.api('POST', `/api/workspaces/${ws}/mentions/999999/correction`, { sentiment: 'neutral' })).status, 404);
    });

    it('retrains the workspace model from the corrections and applies it to new mentions', async () => {
      const other = (await t.api<{ id: number }>('POST', '/api/workspaces', { name: 'Other' })).body.id;
      assert.equal((await t.api('POST', `/api/workspaces/${other}/understanding/retrain`)).status, 400);
      for (const m of (await mentions()).filter((x) => x.externalId !== 'm0')) {
        assert.equal((await t.api('POST', `/api/workspaces/${ws}/mentions/${m.id}/correction`, { sentiment: 'positive' })).status, 200);
      }
      const pending = (await t.api<Status>('GET', `/api/workspaces/${ws}/understanding/model`)).body;
      assert.deepEqual({ trainedAt: pending.trainedAt, corrections: pending.corrections, pending: pending.pending }, { trainedAt: null, corrections: 10, pending: 10 });
      const trained = await t.api<Status>('POST', `/api/workspaces/${ws}/understanding/retrain`);
      assert.equal(trained.status, 200);
      assert.equal(trained.body.trainedOn, 10);
      assert.equal(trained.body.pending, 0);
      assert.deepEqual(trained.body.examples, { sentiment: 10, topics: 1 });

      await ingest(['Acme Rome is sold out now', 'Acme lost my booking and nobody answers the phone']);
      await workspaceModelsOf(t.app.ctx).idle();
      const fresh = (await mentions()).filter((x) => x.externalId === `m${seq - 2}` || x.externalId === `m${seq - 1}`);
      const byText = Object.fromEntries(fresh.map((x) => [x.externalId, x.sentiment?.label]));
      assert.equal(byText[`m${seq - 2}`], 'positive');
      assert.equal(byText[`m${seq - 1}`], 'negative');
      const listed = await t.api<{ items: unknown[] }>('GET', `/api/workspaces/${ws}/corrections`);
      assert.equal(listed.body.items.length, 10);
    });

    it('schedules a retraining after corrections (the retrain job) and runs it', async () => {
      const [m] = await mentions();
      assert.equal((await t.api('POST', `/api/workspaces/${ws}/mentions/${m!.id}/correction`, { sentiment: 'neutral' })).status, 200);
      const before = (await t.api<Status>('GET', `/api/workspaces/${ws}/understanding/model`)).body;
      assert.equal(before.pending, 1);
      // The job's timer would fire a minute after the last correction; run what it scheduled now.
      await workspaceModelsOf(t.app.ctx).flushRetrains();
      const after = (await t.api<Status>('GET', `/api/workspaces/${ws}/understanding/model`)).body;
      assert.equal(after.pending, 0);
      assert.equal(after.trainedOn, 11); // the newest mention (stored in the previous test) was not corrected before
      assert.ok((after.trainedAt as number) >= (before.trainedAt as number));
    });
  });
}
