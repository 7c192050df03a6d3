import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_CSV_RECORD_CHARS, parseCsv, readCsv, readRecordChunks, type FileRecord } from './record-reader.ts';

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

describe('CSV records', () => {
  async function parseText(name: string, content: string | Buffer): Promise<FileRecord[]> {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, content);
    const out: FileRecord[] = [];
    for await (const r of parseCsv(file)) out.push(r);
    return out;
  }
  const summary = (records: FileRecord[]) => records.map((r) => (r.ok ? [r.line, r.record] : [r.line, r.error]));

  it('rejects a record with more or fewer fields than the header, with its line, and keeps the others', async () => {
    const records = await parseText('width.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n\n10,"eleven\nlines",12\n');
    assert.deepEqual(summary(records), [
      [2, { a: '1', b: '2', c: '3' }],
      [3, 'CSV line 3: 2 fields where the header has 3 (the record is left out)'],
      [4, 'CSV line 4: 4 fields where the header has 3 (the record is left out)'],
      [7, { a: '10', b: 'eleven\nlines', c: '12' }],
    ]);
    assert.equal((records[1] as { raw: string }).raw, '4,5');
  });

  it('rejects records with broken quotes and reads on; an unclosed quote at the end is one reject', async () => {
    const broken = await parseText('quotes.csv', 'id;text\n1;"fine ""quoted"" text"\n2;"junk"after\n3;ok\n');
    assert.deepEqual(broken.filter((r) => r.ok).map((r) => r.ok && r.record.id), ['1']);
    assert.match((broken.find((r) => !r.ok) as { error: string }).error, /^CSV line 3: .*quote/i);
    const unclosed = await parseText('unclosed.csv', 'id,text\n1,ok\n2,"never closed\n3,lost\n');
    assert.deepEqual(unclosed.map((r) => r.ok), [true, false]);
    assert.match((unclosed[1] as { error: string }).error, /^CSV line 3: Quoted field unterminated/);
  });

  it('reads CRLF and CR-only files, a BOM, line breaks inside quotes and the true line of each record', async () => {
    const crlf = await parseText('crlf.csv', '\uFEFFid,text\r\n1,"two\nlines"\r\n2,"crlf\r\ninside"\r\n3,last\r\n');
    assert.deepEqual(summary(crlf), [[3, { id: '1', text: 'two\nlines' }], [5, { id: '2', text: 'crlf\r\ninside' }], [6, { id: '3', text: 'last' }]]);
    const cr = await parseText('cr.csv', 'id,text\r1,a\r2,"b\rc"\r3,d');
    assert.deepEqual(summary(cr), [[2, { id: '1', text: 'a' }], [4, { id: '2', text: 'b\rc' }], [5, { id: '3', text: 'd' }]]);
  });

  it('keeps a character split between two reads whole and turns invalid UTF-8 into U+FFFD', async () => {
    // The 64 KB reads end inside the euro sign of row 1's text; row 2 has an invalid byte.
    const head = Buffer.from('id,text\n1,');
    const pad = Buffer.alloc(64 * 1024 - head.length - 1, 'x');
    const content = Buffer.concat([head, pad, Buffer.from('€ end\n2,b'), Buffer.from([0xff, 0x0a])]);
    const records = await parseText('utf8.csv', content);
    assert.equal(records.length, 2);
    const [first, second] = records.map((r) => (r.ok ? r.record : null));
    assert.ok((first?.text as string).endsWith('x€ end'));
    assert.deepEqual(second, { id: '2', text: 'b\uFFFD' });
  });

  it('stops at a record longer than the limit (an unclosed quote) with one reject, keeping what came before', async () => {
    const content = `id,text\n1,ok\n2,"${'y'.repeat(MAX_CSV_RECORD_CHARS + 100_000)}\n3,never read\n`;
    const records = await parseText('huge.csv', content);
    assert.deepEqual(records.map((r) => r.ok), [true, false]);
    assert.match((records[1] as { error: string }).error, /^CSV line 3: a record longer than 1,000,000 characters/);
    assert.equal((records[1] as { raw: string }).raw.length, 10_000);
  });
});
