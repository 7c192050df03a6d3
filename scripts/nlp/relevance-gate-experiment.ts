/**
 * GermEval labels every document that is not about Deutsche Bahn as neutral (535 of 535 in dev). Does
 * "neutral when the relevance model says irrelevant" help German sentiment? Re-creates the CV rows of
 * experts-experiment.ts (same folds, seed 99) from its dump, adds 5-fold CV relevance probabilities on the
 * same folds, and scores GermEval accuracy for several thresholds.
 * Usage: node --import tsx scripts/nlp/relevance-gate-experiment.ts tmp/dump-base.json
 */
import fs from 'node:fs';
import { loadAll, SENTIMENTS, type LabeledText } from '../../src/enrich/data/datasets.ts';
import { CV_DATASETS } from '../../src/enrich/eval/sentiment.eval.ts';
import { accuracy, macroF1, stratifiedFolds } from '../../src/enrich/eval/metrics.ts';
import { argmax, probabilities } from '../../src/enrich/linear/model.ts';
import { seededRandom } from '../../src/enrich/linear/train.ts';
import { FEATURES, trainRelevance } from '../../src/enrich/recipe.ts';
import { detectLanguage } from '../../src/enrich/language.enricher.ts';
import { featurize, type SparseVector } from '../../src/enrich/text/features.ts';

type Row = { dataset: string; gold: string; gate: number[]; experts: number[][] };
const dump = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as { rows: Row[] };
const { train } = loadAll('datasets');
const inCv = (r: LabeledText): boolean => (CV_DATASETS as readonly string[]).includes(r.dataset);
const folds = stratifiedFolds(train, (r) => (inCv(r) ? `${r.dataset}/${r.sentiment}` : 'rest'), 5, seededRandom(99));
const order: number[] = [];
for (let f = 0; f < 5; f++) train.forEach((r, i) => inCv(r) && folds[i] === f && order.push(i));
const vectors = train.map((r) => (r.dataset === 'germeval' ? featurize(r.text, detectLanguage(r.text).lang, FEATURES) : { idx: new Int32Array(0), val: new Float32Array(0) }));
const pRel = new Map<number, number>();
for (let f = 0; f < 5; f++) {
  const model = trainRelevance(train, vectors as SparseVector[], { seed: 1 }, (i) => train[i]!.dataset === 'germeval' && folds[i] !== f);
  train.forEach((r, i) => r.dataset === 'germeval' && folds[i] === f && pRel.set(i, probabilities(model, vectors[i] as SparseVector)[1] as number));
}
const ger = order.map((i, j) => ({ i, row: dump.rows[j] as Row })).filter((x) => x.row.dataset === 'germeval');
if (ger.some((x) => x.row.gold !== train[x.i]!.sentiment)) throw new Error('dump and folds disagree');
const mix = (r: Row) => [0, 1, 2].map((c) => r.gate.reduce((s, g, k) => s + g * (r.experts[k] as number[])[c]!, 0));
for (const t of [0, 0.2, 0.3, 0.4, 0.5, 0.6]) {
  const pred = ger.map((x) => ((pRel.get(x.i) as number) < t ? 'neutral' : SENTIMENTS[argmax(mix(x.row))]!));
  const gold = ger.map((x) => x.row.gold);
  console.log(`threshold ${t}: germeval acc ${accuracy(gold, pred).toFixed(3)} macro-F1 ${macroF1(gold, pred, SENTIMENTS).toFixed(3)}`);
}
