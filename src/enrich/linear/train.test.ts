import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAirlineEs } from '../data/datasets.ts';
import { DEFAULT_FEATURES, featurize } from '../text/features.ts';
import { decodeModel, encodeModel } from './codec.ts';
import { argmax, logits, probabilities } from './model.ts';
import { trainLinear } from './train.ts';

const rows = loadAirlineEs('datasets').slice(0, 600);
const labels = ['negative', 'neutral', 'positive'];
const examples = rows.map((r) => ({ x: featurize(r.text, 'es', DEFAULT_FEATURES), y: labels.indexOf(r.sentiment), w: 1 }));
const options = { bits: 16, epochs: 3, rate: 0.1, l2: 1e-6, seed: 7 };

test('training is deterministic given the seed, and the seed matters', () => {
  const a = trainLinear(examples, labels, DEFAULT_FEATURES, options);
  const b = trainLinear(examples, labels, DEFAULT_FEATURES, options);
  const c = trainLinear(examples, labels, DEFAULT_FEATURES, { ...options, seed: 8 });
  assert.deepEqual(a.weights, b.weights);
  assert.deepEqual(a.bias, b.bias);
  assert.notDeepEqual(a.weights, c.weights);
});

test('seeds: k averages the models of seeds seed … seed + k − 1: its logits are the mean of theirs', () => {
  const averaged = trainLinear(examples, labels, DEFAULT_FEATURES, { ...options, seeds: 3 });
  const singles = [7, 8, 9].map((seed) => trainLinear(examples, labels, DEFAULT_FEATURES, { ...options, seed }));
  const got = new Float64Array(3);
  const one = new Float64Array(3);
  for (const e of examples.slice(0, 200)) {
    logits(averaged, e.x, got);
    const mean = [0, 0, 0];
    for (const m of singles) logits(m, e.x, one).forEach((v, c) => (mean[c] = (mean[c] as number) + v / singles.length));
    for (let c = 0; c < 3; c++) assert.ok(Math.abs((got[c] as number) - (mean[c] as number)) < 1e-5, `${got[c]} vs ${mean[c]}`);
  }
  assert.notDeepEqual(averaged.weights, singles[0]?.weights);
});

test('a seed-averaged model is reproducible bit for bit, model file included', () => {
  const a = trainLinear(examples, labels, DEFAULT_FEATURES, { ...options, seeds: 2 });
  const b = trainLinear(examples, labels, DEFAULT_FEATURES, { ...options, seeds: 2 });
  assert.ok(encodeModel(a).equals(encodeModel(b)));
  assert.equal((a.meta.train as { seeds?: number }).seeds, 2);
});

test('seeds must be a positive integer', () => {
  for (const seeds of [0, 1.5, -2]) assert.throws(() => trainLinear(examples, labels, DEFAULT_FEATURES, { ...options, seeds }), /positive integer/);
});

test('the int16 model file keeps the predictions of the float model', () => {
  const model = trainLinear(examples, labels, DEFAULT_FEATURES, options);
  const loaded = decodeModel(encodeModel(model));
  assert.deepEqual(loaded.labels, labels);
  let same = 0;
  for (const e of examples) if (argmax(probabilities(model, e.x)) === argmax(probabilities(loaded, e.x))) same++;
  assert.ok(same >= examples.length - 2, `${same} of ${examples.length} predictions unchanged`);
});

test('a model file with a bad header is refused', () => {
  assert.throws(() => decodeModel(Buffer.from('nope')), /bad magic/);
});
