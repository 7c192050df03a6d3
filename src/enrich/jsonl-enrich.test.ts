import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMentionLine } from './jsonl-enrich.ts';

test('bad lines are told apart with a reason', () => {
  assert.equal(parseMentionLine('{oops'), 'not valid JSON');
  assert.equal(parseMentionLine('[1]'), 'not a JSON object');
  assert.equal(parseMentionLine('{"id":"1"}'), 'missing string field "text"');
  assert.equal(typeof parseMentionLine('{"id":"1","text":"hi","lang":"en"}'), 'object');
});

test('earshot enrich round-trips a JSONL file and reports the bad line by number', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-enrich-'));
  const input = path.join(dir, 'in.jsonl');
  const output = path.join(dir, 'out.jsonl');
  const lines = [
    { id: 'a', text: '@united lost my bag again, worst airline ever', extra: 42 },
    { id: 'b', text: 'Muchas gracias @Iberia, el vuelo fue perfecto', lang: 'es' },
  ].map((o) => JSON.stringify(o));
  fs.writeFileSync(input, `${lines[0]}\nthis is not json\n${lines[1]}\n`);
  const r = spawnSync(process.execPath, ['bin/earshot.mjs', 'enrich', '--in', input, '--out', output], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /:2: skipped: not valid JSON/);
  const out = fs.readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(out.map((o) => o.id), ['a', 'b']);
  assert.equal(out[0]?.extra, 42);
  assert.equal(out[1]?.lang, 'es');
  for (const o of out) {
    assert.ok(['negative', 'neutral', 'positive'].includes((o.sentiment as { label: string }).label));
    assert.ok(Array.isArray(o.topics) && Array.isArray(o.intents));
    assert.ok('relevance' in o);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
