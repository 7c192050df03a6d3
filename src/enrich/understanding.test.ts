import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadUmsab, SENTIMENTS } from './data/datasets.ts';
import { runEnrichers } from './enricher.ts';
import { macroF1 } from './eval/metrics.ts';
import { loadModelBundle } from './model-store.ts';
import { TOPICS } from './topics/taxonomy.ts';
import { createEnrichers } from './understanding.ts';

const enrichers = createEnrichers(loadModelBundle());
// UMSAB val is never trained on: the first 100 rows of each of de/es/en.
const slice = loadUmsab('datasets', 'val').filter((r) => ['de', 'es', 'en'].includes(r.lang));

test('the committed sentiment model beats always-majority on held-out UMSAB val by a clear margin', () => {
  for (const lang of ['de', 'es', 'en']) {
    const rows = slice.filter((r) => r.lang === lang).slice(0, 100);
    const gold = rows.map((r) => r.sentiment);
    const predicted = rows.map((r) => runEnrichers(enrichers, { text: r.text }).sentiment?.label ?? 'neutral');
    const counts = SENTIMENTS.map((s) => gold.filter((g) => g === s).length);
    const majority = SENTIMENTS[counts.indexOf(Math.max(...counts))] as string;
    const baseline = macroF1(gold, gold.map(() => majority), SENTIMENTS);
    const model = macroF1(gold, predicted, SENTIMENTS);
    assert.ok(model > baseline + 0.25, `${lang}: macro-F1 ${model.toFixed(3)} vs majority ${baseline.toFixed(3)}`);
  }
});

test('every enrichment field is filled with values of the right kind', () => {
  const e = runEnrichers(enrichers, { text: 'Die Bahn hat schon wieder 40 Minuten Verspätung, unzumutbar!' });
  assert.equal(e.lang, 'de');
  assert.ok(e.sentiment && SENTIMENTS.includes(e.sentiment.label) && e.sentiment.score > 0 && e.sentiment.score <= 1);
  assert.ok(e.topics.every((t) => (TOPICS as readonly string[]).includes(t)));
  assert.ok(typeof e.relevance === 'number' && e.relevance >= 0 && e.relevance <= 1);
  assert.ok(e.intents.includes('complaint'));
});

test('a declared language is kept, and relevance is unknown outside German', () => {
  const e = runEnrichers(enrichers, { text: 'the flight was fine', lang: 'en' });
  assert.equal(e.lang, 'en');
  assert.equal(e.relevance, null);
});

test('reusing one chain over many texts gives what a fresh chain gives for each text', () => {
  const bundle = loadModelBundle();
  const texts = slice.slice(0, 60).map((r) => r.text);
  texts.push('', 'ok', 'https://t.co/x @user', 'Verspätung! '.repeat(300));
  const reused = texts.map((text) => runEnrichers(enrichers, { text }));
  const fresh = texts.map((text) => runEnrichers(createEnrichers(bundle), { text }));
  assert.deepEqual(reused, fresh);
});
