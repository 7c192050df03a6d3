/**
 * Sentiment as a mixture of two experts chosen by a domain gate. One multilingual model has to share its
 * per-language priors between short anonymised benchmark tweets (UMSAB) and customer feedback (airline
 * tweets, GermEval posts), and each domain pulls the other off (measured: scripts/nlp/moe-experiment.ts).
 * So: a *tweets* expert trained with UMSAB weighted up, a *feedback* expert with UMSAB weighted down, and a
 * gate that estimates, from the light feature space, how much a text looks like the UMSAB tweets.
 * p(sentiment) = g · p_tweets + (1 − g) · p_feedback.
 */
import type { LabeledText } from '../data/datasets.ts';
import { probabilities, type LinearModel } from '../linear/model.ts';
import { trainLinear, type TrainOptions } from '../linear/train.ts';
import type { FeatureSpec, SparseVector } from '../text/features.ts';
import { trainSentiment, type SentimentTrainOptions } from './sentiment.train.ts';

export interface SentimentMixture {
  /** Expert for customer feedback (UMSAB weighted down). */
  feedback: LinearModel;
  /** Expert for short general tweets (UMSAB weighted up). */
  tweets: LinearModel;
  /** Labels ['feedback', 'tweets']: which expert a text's domain resembles. */
  gate: LinearModel;
}

export interface MixtureRecipe {
  feedback: SentimentTrainOptions;
  tweets: SentimentTrainOptions;
  gate: Partial<TrainOptions>;
  gateFeatures: FeatureSpec;
}

/** `full[i]` / `lite[i]`: row i in the experts' and the gate's feature spaces. */
export function trainSentimentMixture(
  rows: readonly LabeledText[], full: readonly SparseVector[], lite: readonly SparseVector[], r: MixtureRecipe,
  use?: (i: number) => boolean,
): SentimentMixture {
  const gateExamples = rows.flatMap((row, i) =>
    use && !use(i) ? [] : [{ x: lite[i] as SparseVector, y: row.dataset.startsWith('umsab-') ? 1 : 0, w: 1 }]);
  return {
    feedback: trainSentiment(rows, full, r.feedback, use),
    tweets: trainSentiment(rows, full, r.tweets, use),
    gate: trainLinear(gateExamples, ['feedback', 'tweets'], r.gateFeatures, r.gate),
  };
}

/** Mixed class probabilities (reference implementation; enrichment uses the fused path in understanding.ts). */
export function mixtureProbabilities(m: SentimentMixture, full: SparseVector, lite: SparseVector): Float64Array {
  const g = probabilities(m.gate, lite)[1] as number;
  const pt = probabilities(m.tweets, full);
  const pf = probabilities(m.feedback, full);
  return pt.map((p, c) => g * p + (1 - g) * (pf[c] as number));
}
