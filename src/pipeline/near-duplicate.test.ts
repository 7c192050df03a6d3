import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { canonicalByPatterns, canonicalText, canonicalUnicode, nearDuplicateKey } from './near-duplicate.ts';
import { seededRandom } from '../enrich/linear/train.ts';

describe('nearDuplicateKey', () => {
  const original = '@united your agent at gate C7 was rude and refused to rebook us';
  it('gives retweets, copies with other links/handles/case/accents the same key', () => {
    const key = nearDuplicateKey(original);
    assert.ok(key);
    for (const copy of [`RT @arya: ${original}`, `${original} https://t.co/xyz`, original.toUpperCase(), `@delta ${original}!!!`]) assert.equal(nearDuplicateKey(copy), key);
    assert.equal(nearDuplicateKey('Die Verspätung war schlimm, wirklich zu spät heute'), nearDuplicateKey('die verspatung war schlimm wirklich zu spat heute'));
  });

  it('keeps different complaints apart and gives short texts no key', () => {
    assert.notEqual(nearDuplicateKey(original), nearDuplicateKey('@united your agent at gate C9 was rude and refused to rebook us'));
    assert.equal(nearDuplicateKey('@united thank you!'), null);
  });

  it('keeps the keys of mentions stored before (sha1 of the canonical form, as createHash made them)', () => {
    for (const t of [original, `RT @arya: ${original}`, 'Die Verspätung war schlimm, wirklich zu spät heute']) {
      const canonical = canonicalUnicode(t);
      assert.equal(nearDuplicateKey(t), crypto.createHash('sha1').update(canonical).digest('hex').slice(0, 16));
    }
  });
});

describe('canonicalText', () => {
  it('gives what the regular expressions give, on every bundled airline and support text', () => {
    const texts = ['datasets/airline-en/train.csv', 'datasets/airline-es/train.csv']
      .flatMap((f) => (parse(fs.readFileSync(f), { columns: true }) as { text: string }[]).map((r) => r.text));
    assert.ok(texts.length > 15_000);
    for (const t of texts) assert.equal(canonicalText(t), canonicalUnicode(t), t);
  });

  it('gives what the regular expressions give on random texts made of links, handles, retweet prefixes and odd spacing', () => {
    const parts = ['rt', 'RT', 'mt', ' ', '  ', '\t', '\n', '@', '@a_b', '@Http', 'http://', 'https://', 'http:/', 'http', 'x.co/y', ':', '_', '-', 'Word', 'word', '42', '!', '#tag', '@@', '\u000b'];
    const random = seededRandom(7);
    for (let k = 0; k < 20_000; k++) {
      let t = '';
      const len = 1 + Math.floor(random() * 12);
      for (let i = 0; i < len; i++) t += parts[Math.floor(random() * parts.length)];
      assert.equal(canonicalText(t), canonicalByPatterns(t), JSON.stringify(t));
    }
  });
});
