import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadUmsab } from './data/datasets.ts';
import { runEnrichers } from './enricher.ts';
import { createFeatureMemo } from './feature-memo.ts';
import { defaultEnrichers } from './default-enrichers.ts';
import { loadModelBundle } from './model-store.ts';
import { createEnrichers, DEFAULT_UNDERSTANDING, fastLanguageEnricher, understandingEnricher } from './understanding.ts';

test('one fused pass gives the results of the separate language, topic and gate models', () => {
  const bundle = loadModelBundle();
  const fused = createEnrichers(bundle);
  const memo = createFeatureMemo();
  const separate = [fastLanguageEnricher(bundle.language, memo), understandingEnricher(bundle, memo, DEFAULT_UNDERSTANDING)];
  const texts = loadUmsab('datasets', 'val').filter((_, i) => i % 13 === 0).map((r) => r.text);
  texts.push('Die Bahn ist schon wieder zu spät', '@united lost my bag', '');
  for (const text of texts) assert.deepEqual(runEnrichers(fused, { text }), runEnrichers(separate, { text }), text);
});

test('the language-only profile gives the language of the full chain', async () => {
  const full = createEnrichers(loadModelBundle());
  const languageOnly = await defaultEnrichers('language');
  const texts = loadUmsab('datasets', 'val').filter((_, i) => i % 7 === 0).map((r) => r.text);
  texts.push('Die Bahn ist schon wieder zu spät', '@united lost my bag', 'ok', '');
  for (const text of texts) {
    const a = runEnrichers(full, { text });
    const b = runEnrichers(languageOnly, { text });
    assert.deepEqual([b.lang, b.langConfidence], [a.lang, a.langConfidence], text);
  }
});
