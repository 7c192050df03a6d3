/**
 * The enrichers every mention goes through, in order: language, sentiment, topics, intent, relevance.
 * Language identification runs first so that later enrichers can use the language. The models are read
 * from `models/` once per process, however many pipelines ask for the enrichers.
 */
import type { Enricher } from './enricher.ts';
import { loadModelBundle, type ModelBundle } from './model-store.ts';
import { createEnrichers } from './understanding.ts';

let bundle: ModelBundle | undefined;

export async function defaultEnrichers(): Promise<Enricher[]> {
  bundle ??= loadModelBundle();
  return createEnrichers(bundle);
}
