/**
 * The enrichers every mention goes through, in order: language, sentiment, topics, intent, relevance.
 * Language identification runs first so that later enrichers can use the language. The models are read
 * from `models/` once per process, however many pipelines ask for the enrichers.
 */
import type { Enricher } from './enricher.ts';
import { loadModelBundle, type ModelBundle } from './model-store.ts';
import { createEnrichers } from './understanding.ts';
import { languageEnricher } from './language.enricher.ts';

let bundle: ModelBundle | undefined;

export type EnrichProfile = 'full' | 'language';

export async function defaultEnrichers(profile: EnrichProfile = 'full'): Promise<Enricher[]> {
  if (profile === 'language') return [languageEnricher];
  bundle ??= loadModelBundle();
  return createEnrichers(bundle);
}
