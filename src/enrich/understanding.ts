/**
 * The understanding enrichers built on the trained models: sentiment, complaint topics, intent and
 * relevance. They share one featurisation per text (a one-entry memo), so adding a model costs only its
 * dot product. Build them once with the loaded `ModelBundle`; `enrich` is pure and synchronous.
 */
import type { Enricher, Enrichment } from './enricher.ts';
import { detectIntents, DEFAULT_INTENT, type IntentOptions } from './intent/intent.ts';
import { languageEnricher } from './language.enricher.ts';
import { argmax, probabilities, type LinearModel } from './linear/model.ts';
import type { ModelBundle } from './model-store.ts';
import { featurize, type FeatureSpec, type SparseVector } from './text/features.ts';

export interface UnderstandingOptions {
  /** Topics whose probability reaches this are reported (at most `maxTopics`, best first). */
  topicThreshold: number;
  maxTopics: number;
  intent: IntentOptions;
}

export const DEFAULT_UNDERSTANDING: UnderstandingOptions = { topicThreshold: 0.35, maxTopics: 2, intent: DEFAULT_INTENT };

/** Remembers the vector of the last text per feature spec: consecutive enrichers featurise once. */
export function createFeatureMemo(): (spec: FeatureSpec, text: string, lang: string | null | undefined) => SparseVector {
  // Keyed by the spec's content: models loaded from different files share vectors when their specs agree.
  const keys = new WeakMap<FeatureSpec, string>();
  const memo = new Map<string, { text: string; lang: string | null | undefined; x: SparseVector }>();
  return (spec, text, lang) => {
    let key = keys.get(spec);
    if (key === undefined) keys.set(spec, (key = JSON.stringify(spec)));
    const hit = memo.get(key);
    if (hit && hit.text === text && hit.lang === lang) return hit.x;
    const x = featurize(text, lang, spec);
    memo.set(key, { text, lang, x });
    return x;
  };
}

type Memo = ReturnType<typeof createFeatureMemo>;

function fullText(input: { text: string; title?: string | null }): string {
  return input.title ? `${input.title}. ${input.text}` : input.text;
}

/** Sentiment label with its probability as the score. */
export function sentimentEnricher(model: LinearModel, memo: Memo = createFeatureMemo()): Enricher {
  return {
    name: 'sentiment',
    enrich(input) {
      const p = probabilities(model, memo(model.features, fullText(input), input.lang));
      const best = argmax(p);
      const label = model.labels[best] as NonNullable<Enrichment['sentiment']>['label'];
      return { sentiment: { label, score: Number((p[best] as number).toFixed(3)) } };
    },
  };
}

/** Complaint topics above the threshold; "other" only for negative mentions with no specific topic. */
export function topicsEnricher(model: LinearModel, memo: Memo, o: UnderstandingOptions = DEFAULT_UNDERSTANDING): Enricher {
  return {
    name: 'topics',
    enrich(input, soFar) {
      const p = probabilities(model, memo(model.features, fullText(input), input.lang));
      const ranked = model.labels.map((label, i) => ({ label, p: p[i] as number })).sort((a, b) => b.p - a.p);
      const topics = ranked.filter((t) => t.p >= o.topicThreshold && t.label !== 'other').slice(0, o.maxTopics);
      if (!topics.length && soFar.sentiment?.label === 'negative') return { topics: ['other'] };
      return { topics: topics.map((t) => t.label) };
    },
  };
}

/** Intents from cue rules and the sentiment found so far. */
export function intentEnricher(o: IntentOptions = DEFAULT_INTENT): Enricher {
  return { name: 'intent', enrich: (input, soFar) => ({ intents: detectIntents(fullText(input), soFar.sentiment, o) }) };
}

/** Probability that the text is about the brand; trained on German data only, so null for other languages. */
export function relevanceEnricher(model: LinearModel, memo: Memo): Enricher {
  const langs = new Set((model.meta.langs as string[] | undefined) ?? ['de']);
  return {
    name: 'relevance',
    enrich(input) {
      if (!input.lang || !langs.has(input.lang)) return { relevance: null };
      const p = probabilities(model, memo(model.features, fullText(input), input.lang));
      return { relevance: Number((p[model.labels.indexOf('relevant')] as number).toFixed(3)) };
    },
  };
}

/** The full enrichment chain: language, sentiment, topics, intent, relevance. */
export function createEnrichers(bundle: ModelBundle, o: UnderstandingOptions = DEFAULT_UNDERSTANDING): Enricher[] {
  const memo = createFeatureMemo();
  return [
    languageEnricher,
    sentimentEnricher(bundle.sentiment, memo),
    topicsEnricher(bundle.topics, memo, o),
    intentEnricher(o.intent),
    relevanceEnricher(bundle.relevance, memo),
  ];
}
