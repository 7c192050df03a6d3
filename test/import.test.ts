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
import { listMentions } from '../src/mentions/mention.repository.ts';
import { listDeadLetters } from '../src/pipeline/dead-letter.repository.ts';
import { csvParserThreads } from '../src/sources/file/record-reader.ts';

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
      assert.equal(csvParserThreads(), 0);
    });
  });
}
