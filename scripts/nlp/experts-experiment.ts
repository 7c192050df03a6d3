/**
 * Mixture of K sentiment experts under a K-class domain gate (generalises moe-experiment.ts, which has two).
 * Each expert is trained on every dataset with its own weights; the gate learns which expert's domain a
 * text comes from (`domains`: dataset → expert; UMSAB languages as `umsab-*`). Same protocol as
 * moe-experiment.ts: UMSAB val for UMSAB, 5-fold CV (seed 99) for airline-en, airline-es, GermEval.
 * Usage: node --import tsx scripts/nlp/experts-experiment.ts '<json config>'
 *   config: { experts: [{ name, weights: {dataset: w}, opts?: {...} }], domains: {dataset: name}, gate?: {...}, features?: {...} }
 */
import fs from 'node:fs';
import { loadAll, SENTIMENTS, type LabeledText } from '../../src/enrich/data/datasets.ts';
import { CV_DATASETS, score } from '../../src/enrich/eval/sentiment.eval.ts';
import { stratifiedFolds } from '../../src/enrich/eval/metrics.ts';
import { argmax, probabilities, type LinearModel } from '../../src/enrich/linear/model.ts';
import { seededRandom, trainLinear, type TrainOptions } from '../../src/enrich/linear/train.ts';
import { FEATURES, LITE_FEATURES, SENTIMENT_RECIPE, featurizeRows } from '../../src/enrich/recipe.ts';
import { trainSentiment, type SentimentTrainOptions } from '../../src/enrich/sentiment/sentiment.train.ts';
import type { FeatureSpec, SparseVector } from '../../src/enrich/text/features.ts';

interface Config {
  experts: { name: string; weights: Record<string, number>; opts?: Partial<SentimentTrainOptions> }[];
  domains: Record<string, string>;
  gate?: Partial<TrainOptions>;
  features?: Partial<FeatureSpec>;
  /** Use only the most probable expert (hard gate) instead of the weighted mixture. */
  hard?: boolean;
  /** Write every evaluated row's gate and expert probabilities to this JSON file (for calibration-experiment.ts). */
  dump?: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const fullSpec = { ...FEATURES, ...(config.features ?? {}) };
const names = config.experts.map((e) => e.name);
const domainOf = (dataset: string): number =>
  names.indexOf(config.domains[dataset] ?? (dataset.startsWith('umsab-') ? (config.domains['umsab-*'] as string) : ''));
const { train, umsabVal } = loadAll('datasets');
const [xf, xl, vf, vl] = [featurizeRows(train, fullSpec), featurizeRows(train, LITE_FEATURES), featurizeRows(umsabVal, fullSpec), featurizeRows(umsabVal, LITE_FEATURES)];
type Models = { experts: LinearModel[]; gate: LinearModel };

function trainAll(use?: (i: number) => boolean): Models {
  const gateExamples = train.flatMap((r, i) => {
    const y = domainOf(r.dataset);
    return (use && !use(i)) || y < 0 ? [] : [{ x: xl[i] as SparseVector, y, w: 1 }];
  });
  return {
    experts: config.experts.map((e) => trainSentiment(train, xf, { ...SENTIMENT_RECIPE, features: fullSpec, datasetWeights: e.weights, ...(e.opts ?? {}) }, use)),
    gate: trainLinear(gateExamples, names, LITE_FEATURES, { bits: 16, epochs: 3, rate: 0.1, seed: 1, ...(config.gate ?? {}) }),
  };
}

const dumped: { dataset: string; gold: string; gate: number[]; experts: number[][] }[] = [];
function record(m: Models, r: LabeledText, full: SparseVector, lite: SparseVector): void {
  if (config.dump) dumped.push({ dataset: r.dataset, gold: r.sentiment, gate: [...probabilities(m.gate, lite)], experts: m.experts.map((e) => [...probabilities(e, full)]) });
}

function predict(m: Models, full: SparseVector, lite: SparseVector): string {
  const g = probabilities(m.gate, lite);
  const p = new Float64Array(3);
  if (config.hard) {
    const k = argmax(g);
    return SENTIMENTS[argmax(probabilities(m.experts[k] as LinearModel, full))] as string;
  }
  m.experts.forEach((e, k) => probabilities(e, full).forEach((v, c) => (p[c] = (p[c] as number) + (g[k] as number) * v)));
  return SENTIMENTS[argmax(p)] as string;
}

const started = Date.now();
const inCv = (r: LabeledText): boolean => (CV_DATASETS as readonly string[]).includes(r.dataset);
const folds = stratifiedFolds(train, (r) => (inCv(r) ? `${r.dataset}/${r.sentiment}` : 'rest'), 5, seededRandom(99));
const pred = new Array<string>(train.length).fill('');
for (let f = 0; f < 5; f++) {
  const m = trainAll((i) => !inCv(train[i] as LabeledText) || folds[i] !== f);
  train.forEach((r, i) => {
    if (inCv(r) && folds[i] === f) {
      pred[i] = predict(m, xf[i] as SparseVector, xl[i] as SparseVector);
      record(m, r, xf[i] as SparseVector, xl[i] as SparseVector);
    }
  });
}
const m = trainAll();
umsabVal.forEach((r, i) => record(m, r, vf[i] as SparseVector, vl[i] as SparseVector));
if (config.dump) fs.writeFileSync(config.dump, JSON.stringify({ experts: names, rows: dumped }));
const langs = [...new Set(umsabVal.map((r) => r.dataset))].sort();
const um = langs.map((d) => {
  const idx = umsabVal.map((r, i) => (r.dataset === d ? i : -1)).filter((i) => i >= 0);
  return score(d, idx.map((i) => (umsabVal[i] as LabeledText).sentiment), idx.map((i) => predict(m, vf[i] as SparseVector, vl[i] as SparseVector)), 'val');
});
const cv = CV_DATASETS.map((d) => {
  const idx = train.map((r, i) => (r.dataset === d ? i : -1)).filter((i) => i >= 0);
  return score(d, idx.map((i) => (train[i] as LabeledText).sentiment), idx.map((i) => pred[i] as string), 'cv');
});
console.log(process.argv[2]);
console.log(`  umsab mean ${(um.reduce((a, s) => a + s.macroF1, 0) / um.length).toFixed(3)} ` + um.map((s) => `${s.dataset.slice(6)} ${s.macroF1.toFixed(3)}`).join(' '));
console.log('  ' + cv.map((s) => `${s.dataset} acc ${s.accuracy.toFixed(3)} mF1 ${s.macroF1.toFixed(3)}`).join(' | '));
console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s`);
