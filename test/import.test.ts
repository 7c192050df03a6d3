import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIALECTS } from './support/test-db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { insertWorkspace } from '../src/workspaces/workspace.repository.ts';
import { createBrand } from '../src/brands/brand.service.ts';
import { createSource } from '../src/sources/source.service.ts';
import { getSourceById } from '../src/sources/source.repository.ts';
import type { RunReport } from '../src/pipeline/scheduler.ts';
import { listMentions } from '../src/mentions/mention.repository.ts';
import { listDeadLetters } from '../src/pipeline/dead-letter.repository.ts';
import { streamWorkers } from '../src/lib/worker-stream.ts';
import { nearDuplicateKey } from '../src/pipeline/near-duplicate.ts';

const fixtures = path.resolve(import.meta.dirname, 'fixtures/import');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-import-'));

for (const dialect of DIALECTS) {
  describe(`file import (${dialect})`, () => {
    let t: TestApp;
    let ws: number;
    let brand: number;
    const ctx = () => t.app.ctx;
    const run = (id: number, signal = new AbortController().signal) => ctx().scheduler.runNow(id, signal);
    const addFile = async (name: string, settings: Record<string, unknown>) => (await createSource(ctx(), ws, { kind: 'file', name, settings, brandId: brand })).id;

    before(async () => {
      t = await startTestApp(dialect, { INGEST_BATCH_SIZE: '20', IMPORT_BATCH_SIZE: '20', IMPORT_TRANSACTION_SIZE: '30' });
      ws = (await insertWorkspace(ctx().db.kysely, 'Import', Date.now())).id;
      brand = (await createBrand(ctx(), ws, { name: 'Support', query: 'support' })).id;
    });
    after(() => t.close());

    it('imports the same rows from CSV and JSONL, emoji intact, and re-importing stores nothing twice', async () => {
      const csv = await addFile('csv', { path: path.join(fixtures, 'twcs_sample.csv') });
      const jsonl = await addFile('jsonl', { path: path.join(fixtures, 'twcs_sample.jsonl') });
      const a = await run(csv);
      const b = await run(jsonl);
      assert.equal(a.stored, 93);
      assert.equal(b.stored, 93);
      assert.equal((await getSourceById(ctx().db.kysely, ws, csv)).status, 'finished');
      const page = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { sourceId: csv, q: 'AppleSupport' }, 200);
      assert.ok(page.items.some((m) => m.text.includes('😡😡😡')), 'emoji survive');
      const thread = page.items.find((m) => m.externalId === '119237');
      assert.equal(thread?.author?.handle, '105834');
      await t.app.ctx.db.kysely.updateTable('sources').set({ cursor: null }).where('id', '=', csv).execute();
      const again = await run(csv);
      assert.deepEqual([again.stored, again.known], [0, 93]);
    });

    it('reports malformed rows with their line numbers as dead letters and keeps the good rows', async () => {
      const file = path.join(tmp, `bad-${dialect}.jsonl`);
      fs.writeFileSync(file, ['{"id":"a","text":"support is great"}', '{not json', '[1,2]', '{"id":"b"}', '{"id":"c","text":"support é"}'].join('\n'));
      const r = await run(await addFile('bad jsonl', { path: file }));
      assert.equal(r.stored, 2);
      assert.equal(r.failed, 3);
      const errors = (await listDeadLetters(ctx().db.kysely, ws, {}, 50)).map((d) => d.error).sort();
      assert.deepEqual(errors.filter((e) => e.includes('JSONL line')).length, 2);
      assert.ok(errors.some((e) => e.startsWith('line 4: the record has no text')));
      const csvFile = path.join(tmp, `bad-${dialect}.csv`);
      fs.writeFileSync(csvFile, 'id;text;created_at\n1;support ok;2017-10-11\n2;"support unclosed;2017-10-12\n');
      const c = await run(await addFile('bad csv', { path: csvFile }));
      assert.equal(c.stored + c.failed >= 2, true);
      assert.ok(c.stored >= 1);
    });

    it('resumes an interrupted import from its cursor without losing or duplicating rows', async () => {
      // Batches of 10 in transactions of 30: the abort comes after the first transaction (three batches).
      const id = await addFile('resume', { path: path.join(fixtures, 'twcs_sample.jsonl'), batchSize: 10 });
      const stop = new AbortController();
      const seen: number[] = [];
      const first = await ctx().scheduler.runNow(id, stop.signal, (r) => {
        seen.push(r.stored);
        if (r.batches === 3) stop.abort();
      });
      assert.deepEqual(seen.slice(0, 3), [10, 20, 30], 'progress is reported per batch');
      assert.ok(first.stored > 0 && first.stored < 93, `stopped part-way (${first.stored})`);
      const cursor = JSON.parse((await getSourceById(ctx().db.kysely, ws, id)).cursor!) as { records: number };
      assert.equal(cursor.records >= first.stored, true);
      const rest = await run(id);
      assert.equal(first.stored + rest.stored, 93);
      assert.equal(rest.known, 0, 'nothing read twice');
      const all = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { sourceId: id, duplicates: true }, 200);
      assert.equal(all.items.length, 93);
    });

    it('ends a transaction of several batches early when another query waits for the connection', async () => {
      // Batches of 10 in transactions of 30. A query sent while the first batch is being written:
      const id = await addFile('yield', { path: path.join(fixtures, 'twcs_sample.jsonl'), batchSize: 10 });
      let waiting: Promise<number> | undefined;
      let importDone = false;
      let answeredDuringImport = false;
      const remove = ctx().pipeline.onStore(async () => {
        waiting ??= ctx().db.kysely.selectFrom('mentions').select((e) => e.fn.countAll<number>().as('n')).where('source_id', '=', id).executeTakeFirstOrThrow()
          .then((r) => ((answeredDuringImport = !importDone), Number(r.n)));
      });
      const report = await run(id);
      importDone = true;
      remove();
      assert.equal(report.stored, 93, 'the import goes on to the end');
      assert.ok(answeredDuringImport, 'the query did not wait for the whole import');
      // SQLite (one connection): the group commits after the batch in hand and the query runs then, seeing that
      // batch. PostgreSQL (a pool): the query does not wait for the import's transaction at all.
      if (dialect === 'sqlite') assert.equal(await waiting, 10);
      else assert.ok((await waiting)! < 93);
      assert.equal(ctx().db.connectionWanted(), false);
    });

    it('stores none of the batches of a transaction when one of them fails, and the next run stores them all', async () => {
      const id = await addFile('atomic', { path: path.join(fixtures, 'twcs_sample.jsonl'), batchSize: 10 });
      let calls = 0;
      const remove = ctx().pipeline.onStore(async () => {
        // The sixth batch is the third of the second transaction (batches 4-6).
        if (++calls === 6) throw new Error('disk full (injected)');
      });
      const failed = await run(id);
      remove();
      assert.equal(failed.ok, false);
      assert.match(failed.error ?? '', /disk full/);
      assert.equal(failed.stored, 30, 'only the first transaction counts');
      const cursor = JSON.parse((await getSourceById(ctx().db.kysely, ws, id)).cursor!) as { records: number };
      assert.equal(cursor.records, 30, 'the cursor stays where the last commit left it');
      const stored = await listMentions(ctx().db.kysely, ctx().db.dialect, ws, { sourceId: id, duplicates: true }, 200);
      assert.equal(stored.items.length, 30);
      const rest = await run(id);
      assert.deepEqual([rest.stored, rest.known], [63, 0]);
    });

    it('stops the parser thread of a large CSV file when the import fails', async () => {
      // ≥ 4 MB: parsed in its own thread (record-reader.ts).
      const file = path.join(tmp, `large-${dialect}.csv`);
      const rows = Array.from({ length: 50_000 }, (_, i) => `${i},support case ${i}: the flight was late and nobody at the desk could tell us why`);
      fs.writeFileSync(file, `id,text\n${rows.join('\n')}\n`);
      assert.ok(fs.statSync(file).size >= 4 * 2 ** 20);
      const remove = ctx().pipeline.onStore(async () => {
        throw new Error('disk full (injected)');
      });
      const failed = await run(await addFile('large', { path: file, batchSize: 5000 }));
      remove();
      assert.equal(failed.ok, false);
      assert.equal(streamWorkers(), 0);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`large file import prepared in its reader's thread (${dialect})`, () => {
    let t: TestApp;
    const ctx = () => t.app.ctx;
    const run = (id: number, signal = new AbortController().signal, onBatch?: (r: RunReport) => void) => ctx().scheduler.runNow(id, signal, onBatch);
    // ≥ 4 MB: read, mapped and prepared (normalised, enriched, drafted) in one worker thread. English, German and
    // Spanish texts, exact repeats (near-duplicates), a row with too many fields and one without text.
    const file = path.join(tmp, `prepared-${dialect}.csv`);
    const phrases = [
      ['support never answered my ticket about the refund', 'see the attached photos of the receipt and the damaged suitcase, and please answer this time'],
      ['der support hat mir nicht geholfen, schon wieder verspätet', 'die Fotos vom Beleg und vom kaputten Koffer hängen an, bitte antworten Sie diesmal'],
      ['el soporte (support) no contesta y el vuelo salió tarde', 'adjunto las fotos del recibo y de la maleta dañada, por favor contesten esta vez'],
      ['thanks support, great help today', 'the photos of the receipt and the suitcase were all you needed, you were quick and kind'],
    ];
    const lines = Array.from({ length: 24_000 }, (_, i) => {
      if (i === 100) return `${i},"too","many",fields,here,now`;
      if (i === 200) return `${i},,2017-10-11T10:00:00Z,someone,0`;
      const [phrase, more] = phrases[i % 4]!;
      const text = i % 10 === 0 ? phrase : `${phrase} (case ${i}, ${more}) <script>alert(${i})</script>`;
      return `${i},"${text}",2017-10-${String(1 + (i % 28)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z,user${i % 997},${i % 7}`;
    });
    fs.writeFileSync(file, `id,text,created_at,user,retweets\n${lines.join('\n')}\n`);
    const settings = { path: file, batchSize: 4000, map: { externalId: 'id', text: 'text', time: 'created_at', author: 'user', shares: 'retweets' } };

    before(async () => {
      // The default models (language profile), so that the worker can load the same enrichers.
      t = await startTestApp(dialect, { ENRICH: 'language', IMPORT_TRANSACTION_SIZE: '7000' }, { enrichers: 'default' });
    });
    after(() => t.close());

    const rowsOf = (sourceId: number) =>
      ctx().db.kysely.selectFrom('mentions as m').leftJoin('authors as a', 'a.id', 'm.author_id')
        .select(['m.external_id', 'm.text', 'm.published_at', 'm.lang', 'm.lang_confidence', 'm.sentiment', 'm.shares', 'm.near_hash', 'm.duplicate_of', 'm.extra', 'a.handle'])
        .where('m.source_id', '=', sourceId).orderBy('m.external_id').execute();

    it('stores what the pipeline itself would, dead letters included', async () => {
      assert.ok(fs.statSync(file).size >= 4 * 2 ** 20);
      // Workspace A: a fixed-brand import (prepared in the worker). Workspace B: the same file matched against a
      // brand query, which the main thread prepares.
      const [a, b] = [await insertWorkspace(ctx().db.kysely, 'A', Date.now()), await insertWorkspace(ctx().db.kysely, 'B', Date.now())];
      const brandA = (await createBrand(ctx(), a.id, { name: 'Support', query: 'nothing matches this' })).id;
      await createBrand(ctx(), b.id, { name: 'Support', query: 'support' });
      const viaWorker = (await createSource(ctx(), a.id, { kind: 'file', name: 'fixed brand', settings, brandId: brandA })).id;
      const viaPipeline = (await createSource(ctx(), b.id, { kind: 'file', name: 'brand query', settings })).id;
      assert.notEqual(ctx().pipeline.remotePreparation({ workspaceId: a.id, sourceId: viaWorker, sourceKind: 'file', fixedBrandId: brandA }), null);
      const [ra, rb] = [await run(viaWorker), await run(viaPipeline)];
      assert.deepEqual([ra.ok, ra.stored, ra.failed, ra.known], [true, 23_998, 2, 0]);
      assert.deepEqual([rb.stored, rb.failed], [ra.stored, ra.failed]);
      assert.equal(streamWorkers(), 0, 'the worker stopped');
      const [rowsA, rowsB] = [await rowsOf(viaWorker), await rowsOf(viaPipeline)];
      const comparable = (r: (typeof rowsA)[number]) => ({ ...r, duplicate_of: r.duplicate_of !== null });
      assert.deepEqual(rowsA.map(comparable), rowsB.map(comparable));
      const byId = new Map(rowsA.map((r) => [r.external_id, r]));
      assert.equal(byId.get('1')?.lang, 'de');
      assert.equal(byId.get('3')?.text, 'thanks support, great help today (case 3, the photos of the receipt and the suitcase were all you needed, you were quick and kind) <script>alert(3)</script>', 'stored verbatim');
      const keys = new Set(rowsA.map((r) => nearDuplicateKey(r.text)));
      assert.equal(rowsA.filter((r) => r.duplicate_of !== null).length, rowsA.length - keys.size, 'repeats are near-duplicates of the first of each');
      assert.ok(keys.size < rowsA.length);
      const errors = (await listDeadLetters(ctx().db.kysely, a.id, {}, 10)).map((d) => d.error).sort();
      assert.equal(errors.length, 2);
      assert.match(errors[0]!, /^CSV line 102: /);
      assert.match(errors[1]!, /^line 202: the record has no text/);
      // Counts and roll-ups are added up over each transaction's batches and written once per transaction.
      const sum = async (table: 'mention_counts' | 'mention_rollups', brandId: number) => {
        let q = ctx().db.kysely.selectFrom(table).select((e) => e.fn.sum<number>('n').as('n')).where('brand_id', '=', brandId);
        if (table === 'mention_rollups') q = q.where('grain', '=', 'd').where('dim', '=', 'all');
        return Number((await q.executeTakeFirstOrThrow()).n);
      };
      assert.deepEqual([await sum('mention_counts', brandA), await sum('mention_rollups', brandA)], [rowsA.length, rowsA.length]);
      const mentions = await listMentions(ctx().db.kysely, ctx().db.dialect, a.id, { q: 'verspätet' }, 5);
      assert.ok(mentions.items.length > 0, 'full-text index written');
      assert.ok(mentions.items.every((m) => m.brandIds.includes(brandA) && m.ingestedAt > Date.now() - 600_000));
    });

    it('resumes from the last committed transaction and stops its thread when the store fails', async () => {
      const ws = await insertWorkspace(ctx().db.kysely, 'Resume', Date.now());
      const brand = (await createBrand(ctx(), ws.id, { name: 'Support', query: 'support' })).id;
      const id = (await createSource(ctx(), ws.id, { kind: 'file', name: 'resume', settings, brandId: brand })).id;
      let calls = 0;
      const remove = ctx().pipeline.onStore(async () => {
        if (++calls === 3) throw new Error('disk full (injected)');
      });
      const failed = await run(id);
      remove();
      // The first batch holds the two dead letters.
      assert.deepEqual([failed.ok, failed.stored], [false, 7998], 'the first transaction (two batches) stored, the second not');
      assert.equal(streamWorkers(), 0, 'the worker stopped after the failure');
      const stop = new AbortController();
      const stopped = await run(id, stop.signal, (r) => r.batches === 2 && stop.abort());
      // A batch already prepared when the abort came may still be stored; the rest is not read.
      assert.ok(stopped.stored >= 8000 && stopped.stored <= 12_000, `stopped part-way (${stopped.stored})`);
      assert.equal(streamWorkers(), 0);
      const rest = await run(id);
      assert.deepEqual([failed.stored + stopped.stored + rest.stored, rest.known], [23_998, 0]);
      const count = await ctx().db.kysely.selectFrom('mentions').select((e) => e.fn.countAll<number>().as('n')).where('source_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 23_998);
    });
  });
}
