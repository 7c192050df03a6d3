import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAirlineEs } from '../data/datasets.ts';
import { DEFAULT_FEATURES, featurize } from '../text/features.ts';
import { decodeModel, encodeModel } from './codec.ts';
import { argmax, probabilities } from './model.ts';
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
