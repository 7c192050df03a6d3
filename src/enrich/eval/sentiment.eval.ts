/**
 * Validation of the sentiment recipe on the data we have: UMSAB val (a real held-out split) and
 * stratified k-fold cross-validation on airline-en, airline-es and GermEval dev (no other split exists).
 */
import type { LabeledText } from '../data/datasets.ts';
import { SENTIMENTS } from '../data/datasets.ts';
import { argmax } from '../linear/model.ts';
import { seededRandom } from '../linear/train.ts';
import { accuracy, macroF1, stratifiedFolds } from './metrics.ts';

export const CV_DATASETS = ['airline-en', 'airline-es', 'germeval'] as const;

/** Metrics of one dataset: accuracy (= micro-F1) and macro-F1 over the three classes. */
export interface DatasetScore {
  dataset: string;
  n: number;
  accuracy: number;
  macroF1: number;
  how: string;
}

export function score(dataset: string, gold: string[], predicted: string[], how: string): DatasetScore {
  return { dataset, n: gold.length, accuracy: accuracy(gold, predicted), macroF1: macroF1(gold, predicted, SENTIMENTS), how };
}

/** Scores predictions of UMSAB val rows per language (`predicted[i]` for `val[i]`). */
export function scoreUmsabVal(val: readonly LabeledText[], predicted: readonly string[]): DatasetScore[] {
  const datasets = [...new Set(val.map((r) => r.dataset))].sort();
  return datasets.map((dataset) => {
    const idx = val.map((r, i) => (r.dataset === dataset ? i : -1)).filter((i) => i >= 0);
    return score(dataset, idx.map((i) => (val[i] as LabeledText).sentiment), idx.map((i) => predicted[i] as string), 'UMSAB val split');
  });
}

/** Trains on the rows `use` admits and returns a predictor of row i's label. */
export type FoldTrainer = (use: (i: number) => boolean) => (i: number) => string;

/** k-fold CV over the datasets in CV_DATASETS; every other row is always in training. */
export function crossValidate(rows: readonly LabeledText[], train: FoldTrainer, k = 5): DatasetScore[] {
  const inCv = (r: LabeledText): boolean => (CV_DATASETS as readonly string[]).includes(r.dataset);
  const folds = stratifiedFolds(rows, (r) => (inCv(r) ? `${r.dataset}/${r.sentiment}` : 'rest'), k, seededRandom(99));
  const predicted = new Array<string>(rows.length).fill('');
  for (let f = 0; f < k; f++) {
    const predict = train((i) => !inCv(rows[i] as LabeledText) || folds[i] !== f);
    rows.forEach((r, i) => {
      if (inCv(r) && folds[i] === f) predicted[i] = predict(i);
    });
  }
  return CV_DATASETS.map((dataset) => {
    const idx = rows.map((r, i) => (r.dataset === dataset ? i : -1)).filter((i) => i >= 0);
    return score(dataset, idx.map((i) => (rows[i] as LabeledText).sentiment), idx.map((i) => predicted[i] as string), `${k}-fold CV`);
  });
}

/** The label of the most probable class. */
export function labelOf(p: ArrayLike<number>): string {
  return SENTIMENTS[argmax(p)] as string;
}
