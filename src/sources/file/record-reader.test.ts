import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCsv, readRecordChunks, type FileRecord } from './record-reader.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-reader-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function collect(file: string, thread: 'worker' | 'inline', limit = Infinity): Promise<FileRecord[]> {
  const out: FileRecord[] = [];
  for await (const r of readCsv(file, thread)) {
    out.push(r);
    if (out.length >= limit) break;
  }
  return out;
}

describe('CSV reader in a worker thread', () => {
  // More rows than the worker sends per chunk (and than it may run ahead), a multi-line field, a BOM, and a
  // malformed record in the middle: the worker must give exactly what parsing in this thread gives.
  const file = path.join(tmp, 'big.csv');
  const lines = ['\uFEFFid,text,created_at'];
  for (let i = 1; i <= 7_500; i++) {
    if (i === 3_000) lines.push('3000,one field too many,2017-01-01,extra');
    else if (i === 4_000) lines.push('4000,"two\nlines, quoted ""here""",2017-01-02');
    else lines.push(`${i},Ünïcode row ${i} 🙂,2017-01-03`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');

  it('yields the same records, line numbers and rejects as parsing in this thread', async () => {
    const inWorker = await collect(file, 'worker');
    const inline = await collect(file, 'inline');
    assert.equal(inWorker.length, 7_500);
    assert.deepEqual(inWorker, inline);
    const bad = inWorker.filter((r) => !r.ok);
    assert.equal(bad.length, 1);
    assert.match((bad[0] as { error: string }).error, /^CSV line 3001: /);
    const twoLines = inWorker.find((r) => r.ok && r.record.id === '4000');
    assert.deepEqual(twoLines && twoLines.ok && twoLines.record.text, 'two\nlines, quoted "here"');
    assert.deepEqual(inWorker[0], { ok: true, line: 2, record: { id: '1', text: 'Ünïcode row 1 🙂', created_at: '2017-01-03' } });
  });

  it('stops the worker when the reader leaves early, and can read the file again', async () => {
    const first = await collect(file, 'worker', 10);
    assert.deepEqual(first.map((r) => r.ok && r.record.id), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    assert.equal((await collect(file, 'worker')).length, 7_500);
  });

  it('reports a file it cannot read as an error of the reader', async () => {
    await assert.rejects(collect(path.join(tmp, 'missing.csv'), 'worker'), /ENOENT/);
  });
});

describe('record chunks', () => {
  it('gives a JSONL file as chunks of at most 1,000 records, in order, bad lines included', async () => {
    const file = path.join(tmp, 'many.jsonl');
    const lines = Array.from({ length: 2_345 }, (_, i) => (i === 1_500 ? '{broken' : JSON.stringify({ id: String(i + 1), text: `row ${i + 1}` })));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const sizes: number[] = [];
    const all: FileRecord[] = [];
    for await (const chunk of readRecordChunks(file, 'jsonl')) {
      sizes.push(chunk.length);
      all.push(...chunk);
    }
    assert.deepEqual(sizes, [1_000, 1_000, 345]);
    assert.deepEqual(all.map((r) => r.line), Array.from({ length: 2_345 }, (_, i) => i + 1));
    assert.equal(all.filter((r) => !r.ok).length, 1);
    assert.equal(all[1_500]!.ok, false);
  });
});
