import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeLexiconFeatures, LEXICON_FEATURES_PER_TOKEN } from './lexicon-features.ts';
import { normalizeText, tokenize } from './normalize.ts';
import { featurize, prepareTokens, type FeatureSpec } from './features.ts';

/** The lexicon features of a text as hash → value. */
function lexicon(text: string, lang: string | null, scale: number | 'norm' = 1): Map<number, number> {
  const p = prepareTokens(tokenize(normalizeText(text)));
  const size = p.tokens.length * LEXICON_FEATURES_PER_TOKEN + 1;
  const out = { idx: new Int32Array(size), val: new Float32Array(size) };
  const n = writeLexiconFeatures(p.wordHashes, p.tokens.length, lang, scale, out, 0);
  const features = new Map<number, number>();
  for (let i = 0; i < n; i++) features.set(out.idx[i]!, (features.get(out.idx[i]!) ?? 0) + out.val[i]!);
  return features;
}

const sameKeys = (a: Map<number, number>, b: Map<number, number>) => assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());

describe('lexicon features', () => {
  it('gives words of one polarity strength the same features, and none to texts without lexicon words', () => {
    sameKeys(lexicon('what a great crew', 'en'), lexicon('what a wonderful crew', 'en'));
    assert.notDeepEqual([...lexicon('a great crew', 'en').keys()].sort(), [...lexicon('a terrible crew', 'en').keys()].sort());
    assert.equal(lexicon('the flight leaves at noon', 'en').size, 0);
  });

  it('marks a word after a negator as negated, and matches two-word entries', () => {
    const plain = lexicon('the crew was great', 'en');
    const negated = lexicon('the crew was not great', 'en');
    assert.equal(plain.size, 3, 'bucket, bucket × language, sign of the sum');
    assert.equal([...negated.keys()].filter((k) => plain.has(k)).length, 0, 'negated buckets and a negative sum instead');
    sameKeys(lexicon('i am fed up with it', 'en'), lexicon('i am terrible with it', 'en'));
  });

  it("looks a text up in its language's lexicon, English when the language is unknown", () => {
    assert.ok(lexicon('der Zug ist schrecklich', 'de').size > 0);
    assert.equal(lexicon('der Zug ist schrecklich', null).size, 0);
    assert.ok(lexicon('a terrible day', null).size > 0);
    assert.ok(lexicon('a terrible day', 'nl').size > 0, 'a language without a lexicon uses the English one');
  });

  it('scales the group to unit length with "norm", and featurize appends it only when the spec asks', () => {
    const norm = lexicon('great crew but terrible food', 'en', 'norm');
    assert.ok(Math.abs([...norm.values()].reduce((a, v) => a + v * v, 0) - 1) < 1e-6);
    const spec: FeatureSpec = { charMin: 3, charMax: 5, wordMax: 2, context: true };
    const without = featurize('great crew', 'en', spec);
    const withLexicon = featurize('great crew', 'en', { ...spec, lexicon: 'norm' });
    assert.deepEqual([...withLexicon.idx.slice(0, without.idx.length)], [...without.idx]);
    assert.equal(withLexicon.idx.length, without.idx.length + 3);
  });
});
