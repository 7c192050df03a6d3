/**
 * The enrichers every mention goes through, in order: language, sentiment, topics, intent, relevance.
 * Language identification runs first so that later enrichers can use the language. The models are read
 * from `models/` once per process, however many pipelines ask for the enrichers.
 */
import type { Enricher } from './enricher.ts';
import { loadModel, loadModelBundle, type ModelBundle } from './model-store.ts';
import { createEnrichers, DEFAULT_UNDERSTANDING, fastLanguageEnricher, liteScores } from './understanding.ts';
import { createFeatureMemo } from './feature-memo.ts';

let bundle: ModelBundle | undefined;

export type EnrichProfile = 'full' | 'language';

export async function defaultEnrichers(profile: EnrichProfile = 'full'): Promise<Enricher[]> {
  // Language only: the fast language model (eld when it is unsure), the same first step as the full chain and
  // scored by the same fused pass (its class sums in registers: ~12 % faster than the generic scorer, same
  // results); the other models (~15 MB) are not loaded.
  if (profile === 'language') {
    const language = bundle?.language ?? loadModel('language');
    const memo = createFeatureMemo();
    return [fastLanguageEnricher(language, memo, DEFAULT_UNDERSTANDING, liteScores([language], memo)[0])];
  }
  bundle ??= loadModelBundle();
  return createEnrichers(bundle);
}
