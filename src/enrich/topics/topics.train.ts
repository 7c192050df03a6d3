/**
 * Training data and training of the complaint-topic model: airline-en complaints with their reason and
 * GermEval documents with aspect categories, both mapped onto the taxonomy (see taxonomy.ts).
 * A multi-topic document becomes one example per topic, each weighted 1/number of topics.
 */
import type { LabeledText } from '../data/datasets.ts';
import type { LinearModel } from '../linear/model.ts';
import { trainLinear, type TrainingExample, type TrainOptions } from '../linear/train.ts';
import type { FeatureSpec, SparseVector } from '../text/features.ts';
import { TOPICS, topicsOf, type Topic } from './taxonomy.ts';

export const DEFAULT_TOPIC_TRAIN: TrainOptions = { bits: 18, epochs: 6, rate: 0.05, l2: 1e-6, seed: 1 };

/** Topics of a row as training targets, or [] when the row teaches nothing about topics. */
export function topicTargets(row: LabeledText): Topic[] {
  if (row.dataset === 'airline-en') return row.sentiment === 'negative' ? topicsOf(row.dataset, row.categories) : [];
  if (row.dataset !== 'germeval' || !row.relevant || !row.categories.length) return [];
  const topics = topicsOf(row.dataset, row.categories);
  // Documents tagged only "Allgemein" (general) are about the brand but no specific issue.
  return topics.length ? topics : ['other'];
}

export function topicExamples(
  rows: readonly LabeledText[], vectors: readonly SparseVector[], use?: (i: number) => boolean,
): TrainingExample[] {
  const out: TrainingExample[] = [];
  rows.forEach((row, i) => {
    if (use && !use(i)) return;
    const targets = topicTargets(row);
    for (const t of targets) out.push({ x: vectors[i] as SparseVector, y: TOPICS.indexOf(t), w: 1 / targets.length });
  });
  return out;
}

export function trainTopics(
  rows: readonly LabeledText[], vectors: readonly SparseVector[], features: FeatureSpec,
  options: Partial<TrainOptions> = {}, use?: (i: number) => boolean,
): LinearModel {
  return trainLinear(topicExamples(rows, vectors, use), [...TOPICS], features, { ...DEFAULT_TOPIC_TRAIN, ...options });
}
