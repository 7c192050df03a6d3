import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAll, loadUmsab } from '../data/datasets.ts';
import { encodeModel } from '../linear/codec.ts';
import { logits, probabilities, type LinearModel } from '../linear/model.ts';
import { loadModelBundle } from '../model-store.ts';
import { FEATURES, featurizeRows, LITE_FEATURES, MIXTURE_RECIPE, seededMixture } from '../recipe.ts';
import { featurize } from '../text/features.ts';
import { fuseExperts, pairProbabilities } from './fused-pair.ts';
import { mixtureProbabilities, trainSentimentMixture } from './mixture.ts';
import { trainSentiment } from './sentiment.train.ts';

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

test('the recipe averages the feedback expert over its seeds and keeps the tweets expert single-seed', () => {
  const rows = loadAll('datasets').train.filter((_, i) => i % 100 === 0);
  const full = featurizeRows(rows, FEATURES);
  const lite = featurizeRows(rows, LITE_FEATURES);
  // The committed recipe seeded with 3, on 2^16 buckets instead of 2^20 to keep the test quick.
  const seeded = seededMixture(3);
  const recipe = { ...seeded, feedback: { ...seeded.feedback, bits: 16 }, tweets: { ...seeded.tweets, bits: 16 } };
  const k = recipe.feedback.seeds ?? 1;
  assert.ok(k > 1);
  const m = trainSentimentMixture(rows, full, lite, recipe);
  const singles = Array.from({ length: k }, (_, i) => trainSentiment(rows, full, { ...recipe.feedback, seed: 3 + i, seeds: 1 }));
  const [got, one] = [new Float64Array(3), new Float64Array(3)];
  for (const x of full) {
    logits(m.feedback, x, got);
    const mean = [0, 0, 0];
    for (const s of singles) logits(s, x, one).forEach((v, c) => (mean[c] = (mean[c] as number) + v / k));
    for (let c = 0; c < 3; c++) assert.ok(Math.abs((got[c] as number) - (mean[c] as number)) < 1e-5, `${got[c]} vs ${mean[c]}`);
  }
  assert.deepEqual(m.tweets.weights, trainSentiment(rows, full, recipe.tweets).weights);
  assert.ok(encodeModel(m.feedback).equals(encodeModel(trainSentimentMixture(rows, full, lite, recipe).feedback)), 'reproducible');
});

test('the committed experts were trained with the recipe\'s seed averaging', () => {
  const b = loadModelBundle();
  const seeds = (model: LinearModel): number => (model.meta.train as { seeds?: number }).seeds ?? 1;
  assert.equal(seeds(b.sentiment), MIXTURE_RECIPE.feedback.seeds ?? 1);
  assert.equal(seeds(b.sentimentTweets), MIXTURE_RECIPE.tweets.seeds ?? 1);
});
