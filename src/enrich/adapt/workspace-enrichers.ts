/**
 * The enrichment chain of a workspace that has its own model (workspace-model.ts): the base chain, with the
 * sentiment and topic probabilities adjusted by the workspace's residuals. Intents follow the adjusted
 * sentiment; language and relevance are the base models'. Pure and synchronous, like the base chain.
 */
import type { Enricher, Enrichment } from '../enricher.ts';
import { createFeatureMemo, type FeatureMemo } from '../feature-memo.ts';
import { detectIntents } from '../intent/intent.ts';
import { argmax } from '../linear/model.ts';
import type { ModelBundle } from '../model-store.ts';
import { fuseExperts, pairProbabilities } from '../sentiment/fused-pair.ts';
import { DEFAULT_UNDERSTANDING, fastLanguageEnricher, liteScores, relevanceOf, topicsOf, type Score } from '../understanding.ts';
import { applyResidual, logOf, residualVector, type BaseScore, type WorkspaceModel } from './workspace-model.ts';

type Sentiment = NonNullable<Enrichment['sentiment']>;

/** The base models' sentiment (mixture) and topic probabilities, as the workspace model is trained on them. */
export function baseScores(bundle: ModelBundle, memo: FeatureMemo = createFeatureMemo()): { sentiment: BaseScore; topics: BaseScore; topicLabels: string[] } {
  const [, topics, gate] = liteScores([bundle.language, bundle.topics, bundle.sentimentGate], memo) as [Score, Score, Score];
  const pair = fuseExperts(bundle.sentiment, bundle.sentimentTweets);
  const p = new Float64Array(3);
  return {
    sentiment: (text, lang) => pairProbabilities(pair, memo.vector(pair.features, text, lang), gate(text, lang)[1] as number, p),
    topics: (text, lang) => topics(text, lang),
    topicLabels: bundle.topics.labels,
  };
}

function adjusted(base: BaseScore, residual: WorkspaceModel['sentiment']): (text: string, lang: string | null) => Float64Array {
  return (text, lang) => {
    const p = Float64Array.from(base(text, lang));
    return residual ? applyResidual(residual, residualVector(text, lang), logOf(p)) : p;
  };
}

/** Language, then sentiment, topics, intents and relevance with the workspace's residuals applied. */
export function workspaceEnrichers(bundle: ModelBundle, model: WorkspaceModel, o = DEFAULT_UNDERSTANDING): Enricher[] {
  const memo = createFeatureMemo();
  const base = baseScores(bundle, memo);
  const sentiment = adjusted(base.sentiment, model.sentiment);
  const topicScore = adjusted(base.topics, model.topics);
  const topics = topicsOf(bundle.topics, memo, o, (text, lang) => topicScore(text, lang ?? null));
  const relevance = relevanceOf(bundle.relevance, memo);
  const understanding: Enricher = {
    name: 'understanding',
    enrich(input) {
      const text = input.title ? `${input.title}. ${input.text}` : input.text;
      const lang = input.lang ?? null;
      const p = sentiment(text, lang);
      const best = argmax(p);
      const s: Sentiment = { label: bundle.sentiment.labels[best] as Sentiment['label'], score: Math.round((p[best] as number) * 1000) / 1000 };
      return { sentiment: s, topics: topics(text, lang, s), intents: detectIntents(memo.tokens(text), text, s, o.intent), relevance: relevance(text, lang) };
    },
  };
  return [fastLanguageEnricher(bundle.language, memo, o), understanding];
}
