import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeText, tokenize } from '../text/normalize.ts';
import { cueTopics } from './topic-cues.ts';
import { topicsOf, TOPICS } from './taxonomy.ts';

const cues = (text: string) => cueTopics(tokenize(normalizeText(text)));

test('topic cues in de/es/en, including the topic no dataset labels', () => {
  assert.ok(cues('They promised a free upgrade and did not honor it, false advertising').includes('offer_not_honoured'));
  assert.ok(cues('Das Angebot wurde nicht eingehalten, wie versprochen war es nicht').includes('offer_not_honoured'));
  assert.ok(cues('Publicidad engañosa, no cumplen lo que prometieron').includes('offer_not_honoured'));
  assert.ok(cues('Me han cobrado dos veces, quiero un reembolso').includes('billing_pricing'));
  assert.ok(cues('Iberia canceló... cancelaron mi vuelo otra vez').includes('cancellations'));
  assert.ok(cues('Mi maleta no ha llegado').includes('delivery_luggage'));
  assert.deepEqual(cues('Schönes Wetter heute'), []);
});

test('dataset labels map onto the taxonomy, sub-aspects before aspects', () => {
  assert.deepEqual(topicsOf('airline-en', ['Late Flight']), ['delays']);
  assert.deepEqual(topicsOf('germeval', ['Zugfahrt#Pünktlichkeit', 'Sicherheit#Haupt']), ['delays', 'safety']);
  assert.deepEqual(topicsOf('germeval', ['Zugfahrt#Technische_Schäden_und_Störungen_am_Zug']), ['product_quality']);
  assert.deepEqual(topicsOf('germeval', ['Allgemein#Haupt']), []);
  for (const topic of topicsOf('germeval', ['Ticketkauf#Haupt', 'Gepäck#Haupt', 'Atmosphäre#Haupt'])) assert.ok(TOPICS.includes(topic));
});
