/**
 * A small fastText-style sentiment model on the protocol of experts-experiment.ts: every hashed feature
 * (the same sparse vectors, optionally only the word n-grams and context features) has a d-dimensional
 * embedding; the text is their value-weighted sum, optionally through a ReLU hidden layer of the same size,
 * then a softmax over the three classes. Plain SGD with a linearly decaying rate (as fastText), seeded
 * shuffles. Inference cost ≈ (features used) × d multiply-adds (+ d² for the hidden layer).
 * Dumps each model's logits per evaluated row, like nbsvm-experiment.ts (combine with ensemble-combine.ts).
 * Usage: node --import tsx scripts/nlp/fasttext-experiment.ts '<json config>'
 *   config: { models: [{ name, dim, bits?, epochs?, rate?, hidden?, wordsOnly?, weights? }], dump }
 */
import fs from 'node:fs';
import { loadAll, SENTIMENTS, type LabeledText } from '../../src/enrich/data/datasets.ts';
import { CV_DATASETS, score } from '../../src/enrich/eval/sentiment.eval.ts';
import { stratifiedFolds } from '../../src/enrich/eval/metrics.ts';
import { argmax } from '../../src/enrich/linear/model.ts';
import { seededRandom, shuffle, type TrainingExample } from '../../src/enrich/linear/train.ts';
import { FEATURES, SENTIMENT_RECIPE, featurizeRows } from '../../src/enrich/recipe.ts';
import { sentimentExamples } from '../../src/enrich/sentiment/sentiment.train.ts';
import type { SparseVector } from '../../src/enrich/text/features.ts';
import { normalizeText, tokenize } from '../../src/enrich/text/normalize.ts';

interface FtConfig { name: string; dim: number; bits?: number; epochs?: number; rate?: number; hidden?: boolean; wordsOnly?: boolean; weights?: Record<string, number>; seed?: number }
interface Config { models: FtConfig[]; dump: string }
const K = 3;

interface FtModel { cfg: Required<Omit<FtConfig, 'weights' | 'name'>>; emb: Float32Array; h1: Float32Array; b1: Float32Array; out: Float32Array; b2: Float32Array }

/** Drops the character n-grams (between the word features and the context features) when `wordsOnly`. */
function view(x: SparseVector, wordsOnly: boolean, wordCount: number): SparseVector {
  if (!wordsOnly) return x;
  const at = x.langAt ?? x.idx.length;
  const idx = new Int32Array(wordCount + x.idx.length - at);
  const val = new Float32Array(idx.length);
  idx.set(x.idx.subarray(0, wordCount));
  val.set(x.val.subarray(0, wordCount));
  idx.set(x.idx.subarray(at), wordCount);
  val.set(x.val.subarray(at), wordCount);
  return { idx, val };
}

function forward(m: FtModel, x: SparseVector, e: Float64Array, h: Float64Array, z: Float64Array): void {
  const { dim, bits, hidden } = m.cfg;
  const mask = (1 << bits) - 1;
  e.fill(0);
  for (let i = 0; i < x.idx.length; i++) {
    const base = ((x.idx[i] as number) & mask) * dim;
    const v = x.val[i] as number;
    for (let d = 0; d < dim; d++) e[d] = (e[d] as number) + v * (m.emb[base + d] as number);
  }
  if (hidden) {
    for (let j = 0; j < dim; j++) {
      let s = m.b1[j] as number;
      for (let d = 0; d < dim; d++) s += (m.h1[j * dim + d] as number) * (e[d] as number);
      h[j] = s > 0 ? s : 0;
    }
  } else h.set(e);
  for (let c = 0; c < K; c++) {
    let s = m.b2[c] as number;
    for (let d = 0; d < dim; d++) s += (m.out[c * dim + d] as number) * (h[d] as number);
    z[c] = s;
  }
}

function trainFt(examples: readonly TrainingExample[], c: FtConfig): FtModel {
  const cfg = { dim: c.dim, bits: c.bits ?? 18, epochs: c.epochs ?? 5, rate: c.rate ?? 0.2, hidden: c.hidden ?? false, wordsOnly: c.wordsOnly ?? false, seed: c.seed ?? 1 };
  const { dim, bits } = cfg;
  const random = seededRandom(cfg.seed);
  const init = (n: number, s: number): Float32Array => new Float32Array(n).map(() => (random() * 2 - 1) * s);
  const m: FtModel = {
    cfg, emb: init((1 << bits) * dim, 0.1), h1: init(dim * dim, Math.sqrt(3 / dim)), b1: new Float32Array(dim).fill(0.01),
    out: init(K * dim, Math.sqrt(3 / dim)), b2: new Float32Array(K),
  };
  const mask = (1 << bits) - 1;
  const e = new Float64Array(dim);
  const h = new Float64Array(dim);
  const z = new Float64Array(K);
  const gh = new Float64Array(dim);
  const ge = new Float64Array(dim);
  const order = examples.map((_, i) => i);
  const total = cfg.epochs * examples.length;
  let t = 0;
  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    shuffle(order, random);
    for (const k of order) {
      const ex = examples[k] as TrainingExample;
      const lr = cfg.rate * (1 - t++ / total);
      forward(m, ex.x, e, h, z);
      let max = -Infinity;
      for (let c2 = 0; c2 < K; c2++) max = Math.max(max, z[c2] as number);
      let sum = 0;
      for (let c2 = 0; c2 < K; c2++) sum += (z[c2] = Math.exp((z[c2] as number) - max));
      gh.fill(0);
      for (let c2 = 0; c2 < K; c2++) {
        const g = ex.w * ((z[c2] as number) / sum - (c2 === ex.y ? 1 : 0));
        for (let d = 0; d < dim; d++) {
          gh[d] = (gh[d] as number) + g * (m.out[c2 * dim + d] as number);
          m.out[c2 * dim + d] = (m.out[c2 * dim + d] as number) - lr * g * (h[d] as number);
        }
        m.b2[c2] = (m.b2[c2] as number) - lr * g;
      }
      if (cfg.hidden) {
        ge.fill(0);
        for (let j = 0; j < dim; j++) {
          if ((h[j] as number) <= 0) continue;
          const g = gh[j] as number;
          for (let d = 0; d < dim; d++) {
            ge[d] = (ge[d] as number) + g * (m.h1[j * dim + d] as number);
            m.h1[j * dim + d] = (m.h1[j * dim + d] as number) - lr * g * (e[d] as number);
          }
          m.b1[j] = (m.b1[j] as number) - lr * g;
        }
      } else ge.set(gh);
      for (let i = 0; i < ex.x.idx.length; i++) {
        const base = ((ex.x.idx[i] as number) & mask) * dim;
        const v = ex.x.val[i] as number;
        for (let d = 0; d < dim; d++) m.emb[base + d] = (m.emb[base + d] as number) - lr * v * (ge[d] as number);
      }
    }
  }
  return m;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const { train, umsabVal } = loadAll('datasets');
const [xf, vf] = [featurizeRows(train, FEATURES), featurizeRows(umsabVal, FEATURES)];
// Number of word features of each vector (featurize writes words first): uni + bigrams of the tokens.
const wordsOf = (r: LabeledText): number => { const n = tokenize(normalizeText(r.text)).length; return n + Math.max(0, n - 1); };
const views = (rows: readonly LabeledText[], xs: readonly SparseVector[], wordsOnly: boolean): SparseVector[] =>
  xs.map((x, i) => view(x, wordsOnly, wordsOf(rows[i] as LabeledText)));
const xw = views(train, xf, true);
const vw = views(umsabVal, vf, true);
const started = Date.now();
const inCv = (r: LabeledText): boolean => (CV_DATASETS as readonly string[]).includes(r.dataset);
const folds = stratifiedFolds(train, (r) => (inCv(r) ? `${r.dataset}/${r.sentiment}` : 'rest'), 5, seededRandom(99));
const rows: { dataset: string; gold: string; z: number[][] }[] = [];
const times = config.models.map(() => 0);
function trainAll(use?: (i: number) => boolean): FtModel[] {
  return config.models.map((c, k) => {
    const t = Date.now();
    const o = { ...SENTIMENT_RECIPE, datasetWeights: c.weights ?? {} };
    const m = trainFt(sentimentExamples(train, c.wordsOnly ? xw : xf, o, use), c);
    times[k] = (times[k] as number) + (Date.now() - t) / 1000;
    return m;
  });
}
function record(ms: FtModel[], r: LabeledText, full: SparseVector, words: SparseVector): void {
  rows.push({
    dataset: r.dataset, gold: r.sentiment, z: ms.map((m) => {
      const dim = m.cfg.dim;
      const z = new Float64Array(K);
      forward(m, m.cfg.wordsOnly ? words : full, new Float64Array(dim), new Float64Array(dim), z);
      return [...z].map((v) => Math.round(v * 1e4) / 1e4);
    }),
  });
}
for (let f = 0; f < 5; f++) {
  const ms = trainAll((i) => !inCv(train[i] as LabeledText) || folds[i] !== f);
  train.forEach((r, i) => { if (inCv(r) && folds[i] === f) record(ms, r, xf[i] as SparseVector, xw[i] as SparseVector); });
}
const final = trainAll();
umsabVal.forEach((r, i) => record(final, r, vf[i] as SparseVector, vw[i] as SparseVector));
fs.writeFileSync(config.dump, JSON.stringify({ models: config.models.map((m) => m.name), rows }));
console.log(process.argv[2]);
config.models.forEach((m, k) => {
  const per = [...new Set(rows.map((r) => r.dataset))].sort().map((d) => {
    const rs = rows.filter((r) => r.dataset === d);
    return score(d, rs.map((r) => r.gold), rs.map((r) => SENTIMENTS[argmax(r.z[k] as number[])] as string), '');
  });
  const um = per.filter((s) => s.dataset.startsWith('umsab-'));
  const pick = (d: string): string => (um.find((s) => s.dataset === d)?.macroF1 ?? 0).toFixed(3);
  console.log(`  ${m.name}: umsab ${(um.reduce((a, s) => a + s.macroF1, 0) / um.length).toFixed(3)} (de ${pick('umsab-de')} en ${pick('umsab-en')} es ${pick('umsab-es')}) `
    + per.filter((s) => !s.dataset.startsWith('umsab-')).map((s) => `${s.dataset} ${s.accuracy.toFixed(3)}`).join(' ')
    + ` [train ${(times[k] as number).toFixed(0)} s over 6 fits]`);
});
console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s`);
