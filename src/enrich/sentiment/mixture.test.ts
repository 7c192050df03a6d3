import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadUmsab } from '../data/datasets.ts';
import { loadModelBundle } from '../model-store.ts';
import { featurize } from '../text/features.ts';
import { fuseExperts, pairProbabilities } from './fused-pair.ts';
import { mixtureProbabilities } from './mixture.ts';
import { probabilities } from '../linear/model.ts';

test('the fused fast path gives the probabilities of the reference mixture', () => {
  const b = loadModelBundle();
  const mixture = { feedback: b.sentiment, tweets: b.sentimentTweets, gate: b.sentimentGate };
  const pair = fuseExperts(b.sentiment, b.sentimentTweets);
  for (const row of loadUmsab('datasets', 'val').filter((_, i) => i % 40 === 0)) {
    const full = featurize(row.text, row.lang, b.sentiment.features);
    const lite = featurize(row.text, row.lang, b.sentimentGate.features);
    const expected = mixtureProbabilities(mixture, full, lite);
    const g = probabilities(b.sentimentGate, lite)[1] as number;
    const got = pairProbabilities(pair, full, g, new Float64Array(3));
    for (let c = 0; c < 3; c++) assert.ok(Math.abs((got[c] as number) - (expected[c] as number)) < 1e-9, row.text);
  }
});
