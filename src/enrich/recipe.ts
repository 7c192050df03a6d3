/**
 * The training recipe of the committed models: what `earshot train` does and `earshot eval` re-measures.
 * Options were chosen by the validation protocol in docs/models.md (UMSAB val, 5-fold CV elsewhere).
 */
import type { LabeledText } from './data/datasets.ts';
import { detectLanguage } from './language.enricher.ts';
import type { LinearModel } from './linear/model.ts';
import { trainLinear, type TrainOptions } from './linear/train.ts';
import type { ModelBundle } from './model-store.ts';
import { trainSentimentMixture, type MixtureRecipe } from './sentiment/mixture.ts';
import { DEFAULT_SENTIMENT, type SentimentTrainOptions } from './sentiment/sentiment.train.ts';
import { DEFAULT_FEATURES, featurize, type FeatureSpec, type SparseVector } from './text/features.ts';
import { trainTopics } from './topics/topics.train.ts';

/**
 * The full space (sentiment experts, relevance), featurised once per text. Lexicon features (AFINN buckets, group
 * at unit norm) added November 2026: +0.007 UMSAB mean, +0.036 UMSAB en, +0.003–0.004 airline and GermEval over
 * seeds 1–3 (docs/models.md).
 */
export const FEATURES: FeatureSpec = { ...DEFAULT_FEATURES, charMin: 3, handleKind: true, lexicon: 'norm' };

/**
 * A lighter space (character 3–4-grams, word uni+bigrams: about half the features) for the language and
 * topic models, which lose nothing measurable on it (scripts/nlp/spec-experiment.ts); halves their cost.
 */
export const LITE_FEATURES: FeatureSpec = { ...DEFAULT_FEATURES, charMin: 3, charMax: 3, wordMax: 1 };
export const TOPIC_FEATURES: FeatureSpec = LITE_FEATURES;

export const SENTIMENT_RECIPE: SentimentTrainOptions = { ...DEFAULT_SENTIMENT, epochs: 6, rate: 0.1, averageFrom: 1, features: FEATURES };
/**
 * How many shuffle seeds the feedback expert is averaged over (2026-12-05, scripts/nlp/seed-average-experiment.ts,
 * docs/models.md): airline-en, airline-es and GermEval, which the gate sends to this expert, gain 0.002–0.006 and
 * stop depending on one seed. The tweets expert stays single-seed: averaging it left the UMSAB mean where it was and
 * only traded languages against each other (es −0.016 to −0.031 on every seed set, de and en up).
 */
export const FEEDBACK_SEEDS = 10;
/** Sentiment = mixture of a feedback expert and a tweets expert under a domain gate (sentiment/mixture.ts). */
export const MIXTURE_RECIPE: MixtureRecipe = {
  feedback: { ...SENTIMENT_RECIPE, datasetWeights: { 'umsab-*': 0.5 }, seeds: FEEDBACK_SEEDS },
  tweets: { ...SENTIMENT_RECIPE, datasetWeights: { 'umsab-*': 3 } },
  gate: { bits: 16, epochs: 3, rate: 0.1 },
  gateFeatures: LITE_FEATURES,
};
export const TOPIC_RECIPE: Partial<TrainOptions> = { bits: 16, epochs: 6, rate: 0.05 };
export const RELEVANCE_RECIPE: Partial<TrainOptions> = { bits: 18, epochs: 5, rate: 0.05 };
export const LANGUAGE_RECIPE: Partial<TrainOptions> = { bits: 16, epochs: 3, rate: 0.1 };
/** The languages of the bundled data, the only ones the fast language model knows. */
export const FAST_LANGUAGES = ['ar', 'de', 'en', 'es', 'fr', 'hi', 'it', 'pt'];

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

/**
 * The fast language model: the known language of each row from its language-blind vector (featurised with
 * lang = null, exactly as the language enricher sees a text before it knows the language).
 */
export function trainLanguage(rows: readonly LabeledText[], seed: number): LinearModel {
  const examples = rows.flatMap((r) => {
    const y = FAST_LANGUAGES.indexOf(r.lang);
    return y < 0 ? [] : [{ x: featurize(r.text, null, LITE_FEATURES), y, w: 1 }];
  });
  return trainLinear(examples, FAST_LANGUAGES, LITE_FEATURES, { ...LANGUAGE_RECIPE, seed });
}

/** The mixture recipe with every part seeded by `seed` (the feedback expert: seeds `seed` … `seed + FEEDBACK_SEEDS − 1`). */
export function seededMixture(seed: number): MixtureRecipe {
  const r = MIXTURE_RECIPE;
  return { ...r, feedback: { ...r.feedback, seed }, tweets: { ...r.tweets, seed }, gate: { ...r.gate, seed } };
}

/** Trains every model of the bundle from the rows of `loadAll(...).train`; `vectors` are in `FEATURES`. */
export function trainBundle(rows: readonly LabeledText[], vectors: readonly SparseVector[], seed: number): ModelBundle {
  const lite = featurizeRows(rows, LITE_FEATURES);
  const sentiment = trainSentimentMixture(rows, vectors, lite, seededMixture(seed));
  return {
    sentiment: sentiment.feedback,
    sentimentTweets: sentiment.tweets,
    sentimentGate: sentiment.gate,
    topics: trainTopics(rows, lite, TOPIC_FEATURES, { ...TOPIC_RECIPE, seed }),
    relevance: trainRelevance(rows, vectors, { seed }),
    language: trainLanguage(rows, seed),
  };
}
