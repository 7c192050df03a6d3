import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeText, tokenize } from './normalize.ts';
import { DEFAULT_FEATURES, featurize } from './features.ts';

test('normalisation replaces links, handles and numbers, squeezes elongations and keeps emoji', () => {
  const tokens = tokenize(normalizeText('@United Sooooo BAD!!!! flight 1234 https://t.co/x 😡'));
  assert.deepEqual(tokens, ['<user>', 'soo', 'bad', '!!', 'flight', '<num>', '<url>', '😡']);
});

test('German and Spanish letters stay inside words', () => {
  assert.deepEqual(tokenize(normalizeText('Verspätung ¿Por qué? Äußerst')), ['verspätung', 'por', 'qué', '?', 'äußerst']);
});

test('featurisation is deterministic and depends on the language feature', () => {
  const a = featurize('Der Zug ist schon wieder zu spät', 'de', DEFAULT_FEATURES);
  const b = featurize('Der Zug ist schon wieder zu spät', 'de', DEFAULT_FEATURES);
  const c = featurize('Der Zug ist schon wieder zu spät', 'en', DEFAULT_FEATURES);
  assert.deepEqual([...a.idx], [...b.idx]);
  assert.notDeepEqual([...a.idx], [...c.idx]);
  assert.equal(a.idx.length, a.val.length);
});

test('negation scoping adds negated twins of the next words only when the spec asks', () => {
  const spec = { ...DEFAULT_FEATURES, charMax: 0 };
  const plain = featurize('the food was not good at all!', 'en', spec);
  const neg = featurize('the food was not good at all!', 'en', { ...spec, negation: true });
  // "good", "at", "all" (three words of scope) get a twin; "!" ends the scope, "the food was" precede it.
  assert.equal(neg.idx.length - plain.idx.length, 3);
  const good = featurize('good', 'en', { ...spec, negation: true });
  const notGood = featurize('nicht good', 'en', { ...spec, negation: true });
  assert.ok([...notGood.idx].filter((h) => !good.idx.includes(h)).length >= 2);
  assert.equal(featurize('good!', 'en', { ...spec, negation: true }).idx.length, featurize('good!', 'en', spec).idx.length);
});
