/**
 * The enrichers every mention goes through, in order. Language identification runs first so that later
 * enrichers (sentiment, topics, intent) can use the language.
 */
import type { Enricher } from './enricher.ts';
import { languageEnricher } from './language.enricher.ts';

export async function defaultEnrichers(): Promise<Enricher[]> {
  return [languageEnricher];
}
