/**
 * Mixture of two sentiment models gated by domain: U (UMSAB-weighted) for tweets that look like the UMSAB
 * benchmark, J (feedback-weighted) for the rest; the gate is a binary model on the light feature space.
 * Same protocol as sentiment-experiment.ts. Usage: node --import tsx scripts/nlp/moe-experiment.ts '<U opts>' '<J opts>' ['<features>']
 */
import { loadAll, SENTIMENTS, type LabeledText } from '../../src/enrich/data/datasets.ts';
import { CV_DATASETS, score } from '../../src/enrich/eval/sentiment.eval.ts';
import { stratifiedFolds } from '../../src/enrich/eval/metrics.ts';
import { argmax, probabilities, type LinearModel } from '../../src/enrich/linear/model.ts';
import { seededRandom, trainLinear } from '../../src/enrich/linear/train.ts';
import { FEATURES, LITE_FEATURES, SENTIMENT_RECIPE, featurizeRows } from '../../src/enrich/recipe.ts';
import { trainSentiment, type SentimentTrainOptions } from '../../src/enrich/sentiment/sentiment.train.ts';
import type { FeatureSpec, SparseVector } from '../../src/enrich/text/features.ts';

// Optional third argument: overrides of the experts' feature space, e.g. '{"charMin":3}'.
const fullSpec = { ...FEATURES, ...(JSON.parse(process.argv[4] ?? '{}') as Partial<FeatureSpec>) };
const u = { ...SENTIMENT_RECIPE, features: fullSpec, ...(JSON.parse(process.argv[2] ?? '{"datasetWeights":{"umsab-*":3}}') as Partial<SentimentTrainOptions>) };
const j = { ...SENTIMENT_RECIPE, features: fullSpec, ...(JSON.parse(process.argv[3] ?? '{"datasetWeights":{"umsab-*":0.5}}') as Partial<SentimentTrainOptions>) };
const { train, umsabVal } = loadAll('datasets');
const [xf, xl, vf, vl] = [featurizeRows(train, fullSpec), featurizeRows(train, LITE_FEATURES), featurizeRows(umsabVal, fullSpec), featurizeRows(umsabVal, LITE_FEATURES)];
type Models = { u: LinearModel; j: LinearModel; gate: LinearModel };

function trainAll(use?: (i: number) => boolean): Models {
  const gateExamples = train.flatMap((r, i) => (use && !use(i) ? [] : [{ x: xl[i] as SparseVector, y: r.dataset.startsWith('umsab') ? 1 : 0, w: 1 }]));
  return {
    u: trainSentiment(train, xf, u, use), j: trainSentiment(train, xf, j, use),
    gate: trainLinear(gateExamples, ['other', 'umsab'], LITE_FEATURES, { bits: 16, epochs: 3, rate: 0.1, seed: 1 }),
  };
}

function predict(m: Models, full: SparseVector, lite: SparseVector): string {
  const g = probabilities(m.gate, lite)[1] as number;
  const pu = probabilities(m.u, full);
  const pj = probabilities(m.j, full);
  return SENTIMENTS[argmax(pu.map((x, i) => g * x + (1 - g) * (pj[i] as number)))] as string;
}

const inCv = (r: LabeledText): boolean => (CV_DATASETS as readonly string[]).includes(r.dataset);
const folds = stratifiedFolds(train, (r) => (inCv(r) ? `${r.dataset}/${r.sentiment}` : 'rest'), 5, seededRandom(99));
const pred = new Array<string>(train.length).fill('');
for (let f = 0; f < 5; f++) {
  const m = trainAll((i) => !inCv(train[i] as LabeledText) || folds[i] !== f);
  train.forEach((r, i) => {
    if (inCv(r) && folds[i] === f) pred[i] = predict(m, xf[i] as SparseVector, xl[i] as SparseVector);
  });
}
const m = trainAll();
const langs = [...new Set(umsabVal.map((r) => r.dataset))].sort();
const um = langs.map((d) => {
  const idx = umsabVal.map((r, i) => (r.dataset === d ? i : -1)).filter((i) => i >= 0);
  return score(d, idx.map((i) => (umsabVal[i] as LabeledText).sentiment), idx.map((i) => predict(m, vf[i] as SparseVector, vl[i] as SparseVector)), 'val');
});
const cv = CV_DATASETS.map((d) => {
  const idx = train.map((r, i) => (r.dataset === d ? i : -1)).filter((i) => i >= 0);
  return score(d, idx.map((i) => (train[i] as LabeledText).sentiment), idx.map((i) => pred[i] as string), 'cv');
});
console.log(process.argv.slice(2).join(' '));
console.log(`  umsab mean ${(um.reduce((a, s) => a + s.macroF1, 0) / um.length).toFixed(3)} ` + um.map((s) => `${s.dataset.slice(6)} ${s.macroF1.toFixed(3)}`).join(' '));
console.log('  ' + cv.map((s) => `${s.dataset} acc ${s.accuracy.toFixed(3)} mF1 ${s.macroF1.toFixed(3)}`).join(' | '));
