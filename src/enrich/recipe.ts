/**
 * The training recipe of the committed models: what `earshot train` does and `earshot eval` re-measures.
 * Options were chosen by the validation protocol in docs/models.md (UMSAB val, 5-fold CV elsewhere).
 */
import type { LabeledText } from './data/datasets.ts';
import { detectLanguage } from './language.enricher.ts';
import type { LinearModel } from './linear/model.ts';
import { trainLinear, type TrainOptions } from './linear/train.ts';
import type { ModelBundle } from './model-store.ts';
import { DEFAULT_SENTIMENT, trainSentiment, type SentimentTrainOptions } from './sentiment/sentiment.train.ts';
import { DEFAULT_FEATURES, featurize, type FeatureSpec, type SparseVector } from './text/features.ts';
import { trainTopics } from './topics/topics.train.ts';

/** One feature space for every model, so a text is featurised once per enrichment. */
export const FEATURES: FeatureSpec = { ...DEFAULT_FEATURES };

export const SENTIMENT_RECIPE: SentimentTrainOptions = { ...DEFAULT_SENTIMENT, epochs: 5, rate: 0.05, features: FEATURES };
export const TOPIC_RECIPE: Partial<TrainOptions> = { bits: 18, epochs: 6, rate: 0.05 };
export const RELEVANCE_RECIPE: Partial<TrainOptions> = { bits: 18, epochs: 5, rate: 0.05 };

/** Featurises rows with the language eld detects (as at enrichment time), not the dataset's language. */
export function featurizeRows(rows: readonly LabeledText[], spec: FeatureSpec = FEATURES): SparseVector[] {
  return rows.map((r) => featurize(r.text, detectLanguage(r.text).lang, spec));
}

export function trainRelevance(
  rows: readonly LabeledText[], vectors: readonly SparseVector[], options: Partial<TrainOptions> = {}, use?: (i: number) => boolean,
): LinearModel {
  const examples = rows.flatMap((r, i) =>
    r.relevant === undefined || (use && !use(i)) ? [] : [{ x: vectors[i] as SparseVector, y: r.relevant ? 1 : 0, w: 1 }]);
  const model = trainLinear(examples, ['irrelevant', 'relevant'], FEATURES, { ...RELEVANCE_RECIPE, ...options });
  model.meta = { ...model.meta, langs: ['de'] };
  return model;
}

/** Trains every model of the bundle from the rows of `loadAll(...).train`. */
export function trainBundle(rows: readonly LabeledText[], vectors: readonly SparseVector[], seed: number): ModelBundle {
  return {
    sentiment: trainSentiment(rows, vectors, { ...SENTIMENT_RECIPE, seed }),
    topics: trainTopics(rows, vectors, FEATURES, { ...TOPIC_RECIPE, seed }),
    relevance: trainRelevance(rows, vectors, { seed }),
  };
}
