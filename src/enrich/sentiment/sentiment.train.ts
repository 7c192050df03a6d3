/**
 * How the sentiment model is trained from the bundled datasets: one multilingual model over all of them,
 * with the detected language and brand handles as features so that it can learn each domain's priors.
 */
import type { LabeledText } from '../data/datasets.ts';
import { SENTIMENTS } from '../data/datasets.ts';
import type { LinearModel } from '../linear/model.ts';
import { trainLinear, type TrainingExample, type TrainOptions } from '../linear/train.ts';
import { DEFAULT_FEATURES, type FeatureSpec, type SparseVector } from '../text/features.ts';

export interface SentimentTrainOptions extends TrainOptions {
  features: FeatureSpec;
  /** Multiplies the weight of every example of a dataset (`umsab-*` matches every UMSAB language). */
  datasetWeights: Record<string, number>;
  /** Examples with annotator agreement below this are dropped (airline-en gives agreement per tweet). */
  minConfidence: number;
}

export const DEFAULT_SENTIMENT: SentimentTrainOptions = {
  bits: 20, epochs: 8, rate: 0.2, l2: 1e-6, seed: 1,
  features: DEFAULT_FEATURES, datasetWeights: {}, minConfidence: 0,
};

function datasetWeight(dataset: string, weights: Record<string, number>): number {
  return weights[dataset] ?? (dataset.startsWith('umsab-') ? weights['umsab-*'] : undefined) ?? 1;
}

/** Training examples for the rows whose `use` flag is set; `vectors[i]` is the featurised `rows[i]`. */
export function sentimentExamples(
  rows: readonly LabeledText[], vectors: readonly SparseVector[], o: SentimentTrainOptions, use?: (i: number) => boolean,
): TrainingExample[] {
  const out: TrainingExample[] = [];
  rows.forEach((row, i) => {
    if (use && !use(i)) return;
    if (row.confidence < o.minConfidence) return;
    out.push({ x: vectors[i] as SparseVector, y: SENTIMENTS.indexOf(row.sentiment), w: datasetWeight(row.dataset, o.datasetWeights) });
  });
  return out;
}

export function trainSentiment(
  rows: readonly LabeledText[], vectors: readonly SparseVector[], options: Partial<SentimentTrainOptions> = {},
  use?: (i: number) => boolean,
): LinearModel {
  const o = { ...DEFAULT_SENTIMENT, ...options };
  const model = trainLinear(sentimentExamples(rows, vectors, o, use), [...SENTIMENTS], o.features, o);
  model.meta = { ...model.meta, datasetWeights: o.datasetWeights, minConfidence: o.minConfidence };
  return model;
}
