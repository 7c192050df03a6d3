import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAirlineEn } from './data/datasets.ts';
import { predict, trainTextClassifier } from './custom-classifier.ts';

const complaints = loadAirlineEn('datasets').filter((r) => r.sentiment === 'negative' && r.categories.length);
const label = (reason: string | undefined): string => (reason === 'Cancelled Flight' ? 'cancelled' : 'other');
const examples = complaints.slice(0, 300).map((r) => ({ text: r.text, label: label(r.categories[0]) }));
const heldOut = complaints.slice(300, 1300);

test('a custom classifier survives JSON and beats always-majority on held-out complaints', () => {
  const model = JSON.parse(JSON.stringify(trainTextClassifier(examples, { seed: 3 })));
  let tp = 0, fp = 0, fn = 0;
  for (const r of heldOut) {
    const gold = label(r.categories[0]) === 'cancelled';
    const got = predict(model, r.text).label === 'cancelled';
    if (gold && got) tp++;
    else if (got) fp++;
    else if (gold) fn++;
  }
  // Always "other" has F1 0 on "cancelled"; a useful classifier finds most cancellations.
  const f1 = (2 * tp) / (2 * tp + fp + fn);
  assert.ok(f1 > 0.5, `F1 on "cancelled" ${f1.toFixed(3)}`);
});

test('training is deterministic and refuses a single label', () => {
  assert.deepEqual(trainTextClassifier(examples, { seed: 3 }), trainTextClassifier(examples, { seed: 3 }));
  assert.throws(() => trainTextClassifier([{ text: 'a', label: 'x' }, { text: 'b', label: 'x' }]), /two labels/);
});
