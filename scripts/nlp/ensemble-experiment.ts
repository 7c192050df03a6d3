/**
 * Does averaging the full-space sentiment model with one on the light space (already computed for
 * language id and topics, so nearly free at enrichment time) help? Same protocol as sentiment-experiment.
 * Usage: node --import tsx scripts/nlp/ensemble-experiment.ts '<full options JSON>' '<lite options JSON>' <lite weight>
 */
import { loadAll, SENTIMENTS, type LabeledText } from '../../src/enrich/data/datasets.ts';
import { CV_DATASETS, score } from '../../src/enrich/eval/sentiment.eval.ts';
import { stratifiedFolds } from '../../src/enrich/eval/metrics.ts';
import { argmax, probabilities, type LinearModel } from '../../src/enrich/linear/model.ts';
import { seededRandom } from '../../src/enrich/linear/train.ts';
import { FEATURES, LITE_FEATURES, SENTIMENT_RECIPE, featurizeRows } from '../../src/enrich/recipe.ts';
import { trainSentiment, type SentimentTrainOptions } from '../../src/enrich/sentiment/sentiment.train.ts';
import type { SparseVector } from '../../src/enrich/text/features.ts';

const full = { ...SENTIMENT_RECIPE, ...(JSON.parse(process.argv[2] ?? '{}') as Partial<SentimentTrainOptions>), features: FEATURES };
const lite = { ...SENTIMENT_RECIPE, ...(JSON.parse(process.argv[3] ?? '{}') as Partial<SentimentTrainOptions>), features: LITE_FEATURES };
const weights = (process.argv[4] ?? '0,0.3,0.5').split(',').map(Number);
const { train, umsabVal } = loadAll('datasets');
const [xf, xl, vf, vl] = [featurizeRows(train), featurizeRows(train, LITE_FEATURES), featurizeRows(umsabVal), featurizeRows(umsabVal, LITE_FEATURES)];

function predict(m: [LinearModel, LinearModel], a: SparseVector, b: SparseVector, w: number): string {
  const p = probabilities(m[0], a);
  const q = probabilities(m[1], b);
  return SENTIMENTS[argmax(p.map((x, i) => (1 - w) * x + w * (q[i] as number)))] as string;
}

const inCv = (r: LabeledText): boolean => (CV_DATASETS as readonly string[]).includes(r.dataset);
const folds = stratifiedFolds(train, (r) => (inCv(r) ? `${r.dataset}/${r.sentiment}` : 'rest'), 5, seededRandom(99));
const pred = weights.map(() => new Array<string>(train.length).fill(''));
for (let f = 0; f < 5; f++) {
  const use = (i: number): boolean => !inCv(train[i] as LabeledText) || folds[i] !== f;
  const m: [LinearModel, LinearModel] = [trainSentiment(train, xf, full, use), trainSentiment(train, xl, lite, use)];
  train.forEach((r, i) => {
    if (inCv(r) && folds[i] === f) weights.forEach((w, k) => ((pred[k] as string[])[i] = predict(m, xf[i] as SparseVector, xl[i] as SparseVector, w)));
  });
}
const m: [LinearModel, LinearModel] = [trainSentiment(train, xf, full), trainSentiment(train, xl, lite)];
weights.forEach((w, k) => {
  const langs = [...new Set(umsabVal.map((r) => r.dataset))].sort();
  const um = langs.map((d) => {
    const idx = umsabVal.map((r, i) => (r.dataset === d ? i : -1)).filter((i) => i >= 0);
    return score(d, idx.map((i) => (umsabVal[i] as LabeledText).sentiment), idx.map((i) => predict(m, vf[i] as SparseVector, vl[i] as SparseVector, w)), 'val');
  });
  const cv = CV_DATASETS.map((d) => {
    const idx = train.map((r, i) => (r.dataset === d ? i : -1)).filter((i) => i >= 0);
    return score(d, idx.map((i) => (train[i] as LabeledText).sentiment), idx.map((i) => (pred[k] as string[])[i] as string), 'cv');
  });
  console.log(`lite weight ${w}: umsab mean ${(um.reduce((a, s) => a + s.macroF1, 0) / um.length).toFixed(3)} ` +
    um.map((s) => `${s.dataset.slice(6)} ${s.macroF1.toFixed(3)}`).join(' '));
  console.log('  ' + cv.map((s) => `${s.dataset} acc ${s.accuracy.toFixed(3)} mF1 ${s.macroF1.toFixed(3)}`).join(' | '));
});
