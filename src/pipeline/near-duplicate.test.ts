import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nearDuplicateKey } from './near-duplicate.ts';

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
});
