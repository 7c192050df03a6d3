/**
 * Everything `earshot eval` reports, on the splits we have: the committed sentiment model on UMSAB val,
 * and the training recipe re-run under 5-fold CV for airline-en, airline-es, GermEval dev (sentiment),
 * airline complaint reasons → taxonomy (topics) and GermEval relevance.
 */
import type { LabeledText } from '../data/datasets.ts';
import { argmax, probabilities } from '../linear/model.ts';
import { seededRandom } from '../linear/train.ts';
import type { ModelBundle } from '../model-store.ts';
import { FEATURES, featurizeRows, LITE_FEATURES, MIXTURE_RECIPE, TOPIC_FEATURES, TOPIC_RECIPE, trainRelevance } from '../recipe.ts';
import { mixtureProbabilities, trainSentimentMixture } from '../sentiment/mixture.ts';
import type { SparseVector } from '../text/features.ts';
import { TOPICS } from '../topics/taxonomy.ts';
import { topicTargets, trainTopics } from '../topics/topics.train.ts';
import { accuracy, macroF1, stratifiedFolds } from './metrics.ts';
import { crossValidate, labelOf, scoreUmsabVal } from './sentiment.eval.ts';

/** One row of the `earshot eval` table. */
export interface EvalRow {
  task: string;
  dataset: string;
  n: number;
  metric: string;
  value: number;
  how: string;
}

function cvPredict(
  rows: readonly LabeledText[], vectors: readonly SparseVector[], inEval: (r: LabeledText) => boolean, key: (r: LabeledText) => string,
  train: (use: (i: number) => boolean) => { predict: (x: SparseVector) => string },
): Map<number, string> {
  const folds = stratifiedFolds(rows, (r) => (inEval(r) ? key(r) : 'rest'), 5, seededRandom(7));
  const out = new Map<number, string>();
  for (let f = 0; f < 5; f++) {
    const model = train((i) => !inEval(rows[i] as LabeledText) || folds[i] !== f);
    rows.forEach((r, i) => {
      if (inEval(r) && folds[i] === f) out.set(i, model.predict(vectors[i] as SparseVector));
    });
  }
  return out;
}

/** Airline complaint reason → taxonomy: top-1 topic, macro-F1 over the topics airline data has. */
/** `vectors` must be in `spec` (TOPIC_FEATURES for the committed recipe). */
export function evaluateTopics(rows: readonly LabeledText[], vectors: readonly SparseVector[], spec = TOPIC_FEATURES): EvalRow {
  const inEval = (r: LabeledText): boolean => r.dataset === 'airline-en' && topicTargets(r).length > 0;
  const gold = (r: LabeledText): string => topicTargets(r)[0] as string;
  const predicted = cvPredict(rows, vectors, inEval, gold, (use) => {
    const model = trainTopics(rows, vectors, spec, TOPIC_RECIPE, use);
    return { predict: (x) => model.labels[argmax(probabilities(model, x))] as string };
  });
  const idx = [...predicted.keys()];
  const g = idx.map((i) => gold(rows[i] as LabeledText));
  const present = TOPICS.filter((t) => g.includes(t));
  return { task: 'topics', dataset: 'airline-en reason', n: idx.length, metric: 'macro-F1',
    value: macroF1(g, idx.map((i) => predicted.get(i) as string), present), how: '5-fold CV, top-1' };
}

export function evaluateRelevance(rows: readonly LabeledText[], vectors: readonly SparseVector[]): EvalRow[] {
  const inEval = (r: LabeledText): boolean => r.relevant !== undefined;
  const gold = (r: LabeledText): string => (r.relevant ? 'relevant' : 'irrelevant');
  const predicted = cvPredict(rows, vectors, inEval, gold, (use) => {
    const model = trainRelevance(rows, vectors, {}, use);
    return { predict: (x) => model.labels[argmax(probabilities(model, x))] as string };
  });
  const idx = [...predicted.keys()];
  const g = idx.map((i) => gold(rows[i] as LabeledText));
  const p = idx.map((i) => predicted.get(i) as string);
  const base = { task: 'relevance', dataset: 'germeval dev', n: idx.length, how: '5-fold CV' };
  return [{ ...base, metric: 'accuracy', value: accuracy(g, p) }, { ...base, metric: 'macro-F1', value: macroF1(g, p, ['relevant', 'irrelevant']) }];
}

/**
 * All sentiment rows: the committed mixture on UMSAB val, the mixture recipe under 5-fold CV for the rest.
 * `vectors` are the rows in FEATURES; the light-space vectors are computed here.
 */
export function evaluateSentiment(
  bundle: ModelBundle, rows: readonly LabeledText[], vectors: readonly SparseVector[], umsabVal: readonly LabeledText[],
): EvalRow[] {
  const committed = { feedback: bundle.sentiment, tweets: bundle.sentimentTweets, gate: bundle.sentimentGate };
  const [vf, vl] = [featurizeRows(umsabVal, FEATURES), featurizeRows(umsabVal, LITE_FEATURES)];
  const val = scoreUmsabVal(umsabVal, umsabVal.map((_, i) => labelOf(mixtureProbabilities(committed, vf[i] as SparseVector, vl[i] as SparseVector))));
  const lite = featurizeRows(rows, LITE_FEATURES);
  const cv = crossValidate(rows, (use) => {
    const m = trainSentimentMixture(rows, vectors, lite, MIXTURE_RECIPE, use);
    return (i) => labelOf(mixtureProbabilities(m, vectors[i] as SparseVector, lite[i] as SparseVector));
  });
  const out: EvalRow[] = [];
  for (const s of cv) {
    out.push({ task: 'sentiment', dataset: s.dataset, n: s.n, metric: 'accuracy', value: s.accuracy, how: s.how });
    out.push({ task: 'sentiment', dataset: s.dataset, n: s.n, metric: 'macro-F1', value: s.macroF1, how: s.how });
  }
  for (const s of val) out.push({ task: 'sentiment', dataset: s.dataset, n: s.n, metric: 'macro-F1', value: s.macroF1, how: s.how });
  const mean = val.reduce((a, s) => a + s.macroF1, 0) / Math.max(1, val.length);
  out.push({ task: 'sentiment', dataset: 'umsab mean (8)', n: umsabVal.length, metric: 'macro-F1', value: mean, how: 'UMSAB val split' });
  return out;
}
