/**
 * Sentiment models of another kind than the plain hashed-n-gram logistic regression, on the protocol of
 * experts-experiment.ts (UMSAB val; 5-fold stratified CV, fold seed 99, on airline-en, airline-es, GermEval,
 * each fold's models trained on the other folds plus every other dataset):
 *
 * - `nblr`: NBSVM-style logistic regression (Wang & Manning 2012). Each hashed feature of class c is scaled
 *   by s = floor + |r_c|^power, r_c the smoothed naive-Bayes log-count ratio of class c against the rest
 *   (binarised counts, example weights, computed on the training rows only); the language/handle context
 *   features keep scale 1. Because logit_c = Σ w_jc · s_jc · x_j, the scales fold into the weights: the
 *   trained model is an ordinary LinearModel and costs exactly what the committed experts cost.
 * - `mnb` / `cnb`: multinomial / complement naive Bayes over the same vectors (their logits are x · log θ).
 * - `lr`: the committed trainer (sanity check against the dump of experts-experiment.ts).
 *
 * Writes, for every evaluated row (CV rows fold by fold, then UMSAB val — the order of experts-experiment.ts'
 * dump), each model's logits to `dump`; `ensemble-combine.ts` mixes them with the committed mixture's dump.
 * Usage: node --import tsx scripts/nlp/nbsvm-experiment.ts '<json config>'
 *   config: { models: [{ name, kind, weights?, opts? }], dump, features? }
 */
import fs from 'node:fs';
import { loadAll, SENTIMENTS, type LabeledText } from '../../src/enrich/data/datasets.ts';
import { CV_DATASETS, score } from '../../src/enrich/eval/sentiment.eval.ts';
import { stratifiedFolds } from '../../src/enrich/eval/metrics.ts';
import { argmax, logits, softmax, type LinearModel } from '../../src/enrich/linear/model.ts';
import { seededRandom, shuffle, type TrainingExample, type TrainOptions } from '../../src/enrich/linear/train.ts';
import { FEATURES, SENTIMENT_RECIPE, featurizeRows } from '../../src/enrich/recipe.ts';
import { sentimentExamples, trainSentiment, type SentimentTrainOptions } from '../../src/enrich/sentiment/sentiment.train.ts';
import type { FeatureSpec, SparseVector } from '../../src/enrich/text/features.ts';

export interface NbOptions {
  /** Additive smoothing of the (binarised, weighted) counts. */
  alpha: number;
  /** nblr: scale = floor + |r|^power. */
  floor: number;
  power: number;
  /** Count feature values instead of presence. */
  valued?: boolean;
  /** Feature dropout probability during training (context features are never dropped). */
  dropout?: number;
  /** Skip the NB scales (plain LR, e.g. to try dropout alone). */
  plain?: boolean;
}
interface ModelConfig { name: string; kind: 'lr' | 'nblr' | 'mnb' | 'cnb'; weights?: Record<string, number>; opts?: Partial<SentimentTrainOptions>; nb?: Partial<NbOptions> }
interface Config { models: ModelConfig[]; dump: string; features?: Partial<FeatureSpec>; emoticons?: boolean; caps?: boolean }

/** Marks shouting, which lower-casing loses: one `<caps>` token per all-capitals word of three or more letters (at most three), appended. */
export function markCaps(text: string): string {
  const n = (text.match(/(?<![\p{L}\p{N}_@#])\p{Lu}{3,}(?![\p{L}\p{N}])/gu) ?? []).length;
  return n ? `${text} ${' <caps>'.repeat(Math.min(3, n))}` : text;
}

/**
 * What a tokenizer fix would do (normalize.ts lower-cases before matching its emoticon pattern, so ":D" becomes
 * the word "d", and "<3", "^^", ":3", ":O", ":*", "xD" and HTML-escaped "&lt;3" are lost or become "<num>"):
 * HTML entities unescaped, then these emoticons replaced by placeholder tokens that survive normalisation.
 */
export function canonicalEmoticons(text: string): string {
  return text
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
    .replace(/(?<![\w/])[:;=8]-?D+\b|\b[xX]+D+\b/g, ' <emo_laugh> ')
    .replace(/<3+/g, ' <emo_heart> ')
    .replace(/\^[_.-]?\^/g, ' <emo_happy> ')
    .replace(/(?<![\w/]):'?3\b/g, ' <emo_cute> ')
    .replace(/(?<![\w/])[:;]-?[oO0]\b/g, ' <emo_surprise> ')
    .replace(/(?<![\w/])[:;]-?\*/g, ' <emo_kiss> ')
    .replace(/(?<![\w/:])[:=]-?[/\\](?![/\w])/g, ' <emo_skeptic> ');
}

const DEFAULT_NB: NbOptions = { alpha: 1, floor: 0, power: 1 };
const K = 3;

/** Weighted per-class counts of every bucket (presence, or value when `valued`), and which buckets hold context features. */
export function classCounts(examples: readonly TrainingExample[], bits: number, valued = false): { counts: Float64Array; ctx: Uint8Array } {
  const mask = (1 << bits) - 1;
  const counts = new Float64Array((1 << bits) * K);
  const ctx = new Uint8Array(1 << bits);
  for (const ex of examples) {
    const { idx, val, langAt } = ex.x;
    for (let i = 0; i < idx.length; i++) {
      const b = (idx[i] as number) & mask;
      if (langAt !== undefined && langAt >= 0 && i >= langAt) ctx[b] = 1;
      counts[b * K + ex.y] = (counts[b * K + ex.y] as number) + ex.w * (valued ? (val[i] as number) : 1);
    }
  }
  return { counts, ctx };
}

/** NB log-count ratios r[b*K+c] of class c against the other classes. */
export function logCountRatios(counts: Float64Array, alpha: number): Float64Array {
  const n = counts.length / K;
  const tot = new Float64Array(K);
  for (let b = 0; b < n; b++) for (let c = 0; c < K; c++) tot[c] = (tot[c] as number) + (counts[b * K + c] as number) + alpha;
  const all = tot.reduce((a, v) => a + v, 0);
  const r = new Float64Array(counts.length);
  for (let b = 0; b < n; b++) {
    let sum = 0;
    for (let c = 0; c < K; c++) sum += (counts[b * K + c] as number) + alpha;
    for (let c = 0; c < K; c++) {
      const p = (counts[b * K + c] as number) + alpha;
      const q = sum - p - alpha * (K - 2); // complement count smoothed by α once, as p is
      r[b * K + c] = Math.log(p / (tot[c] as number)) - Math.log(q / (all - (tot[c] as number) - alpha * n * (K - 2)));
    }
  }
  return r;
}

/** Multinomial LR with per-(bucket, class) feature scales; returns the model with the scales folded into its weights. */
export function trainScaled(
  examples: readonly TrainingExample[], features: FeatureSpec, scales: Float32Array, o: TrainOptions, dropout = 0,
): LinearModel {
  const size = (1 << o.bits) * K;
  const mask = (1 << o.bits) - 1;
  const weights = new Float32Array(size);
  const bias = new Float32Array(K);
  const g2 = new Float32Array(size);
  const g2bias = new Float64Array(K);
  const z = new Float64Array(K);
  const avgW = new Float64Array(size);
  const avgB = new Float64Array(K);
  let avgN = 0;
  const random = seededRandom(o.seed);
  const drop = seededRandom(o.seed + 7919);
  let kept = new Float32Array(256);
  const order = examples.map((_, i) => i);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    shuffle(order, random);
    for (const e of order) {
      const ex = examples[e] as TrainingExample;
      const idx = ex.x.idx;
      let val: Float32Array = ex.x.val;
      if (dropout > 0) {
        // Feature dropout (Wager et al. 2013): drop each feature with probability p, scale the rest by 1/(1 − p).
        if (kept.length < idx.length) kept = new Float32Array(2 * idx.length);
        const inv = 1 / (1 - dropout);
        const langAt = ex.x.langAt ?? idx.length;
        for (let i = 0; i < idx.length; i++) kept[i] = i >= langAt ? (ex.x.val[i] as number) : drop() < dropout ? 0 : inv * (ex.x.val[i] as number);
        val = kept;
      }
      let a = bias[0] as number;
      let b = bias[1] as number;
      let c = bias[2] as number;
      for (let i = 0; i < idx.length; i++) {
        const j = ((idx[i] as number) & mask) * K;
        const v = val[i] as number;
        a += v * (weights[j] as number) * (scales[j] as number);
        b += v * (weights[j + 1] as number) * (scales[j + 1] as number);
        c += v * (weights[j + 2] as number) * (scales[j + 2] as number);
      }
      z[0] = a; z[1] = b; z[2] = c;
      softmax(z);
      for (let k = 0; k < K; k++) {
        const g = ex.w * ((z[k] as number) - (k === ex.y ? 1 : 0));
        z[k] = g;
        g2bias[k] = (g2bias[k] as number) + g * g;
        bias[k] = (bias[k] as number) - (o.rate * g) / Math.sqrt((g2bias[k] as number) + 1e-8);
      }
      for (let i = 0; i < idx.length; i++) {
        const base = ((idx[i] as number) & mask) * K;
        const v = val[i] as number;
        if (v === 0) continue;
        for (let k = 0; k < K; k++) {
          const j = base + k;
          const w = weights[j] as number;
          const g = (z[k] as number) * v * (scales[j] as number) + o.l2 * w;
          g2[j] = (g2[j] as number) + g * g;
          weights[j] = w - (o.rate * g) / Math.sqrt((g2[j] as number) + 1e-8);
        }
      }
    }
    if (o.averageFrom && epoch >= o.averageFrom) {
      for (let j = 0; j < size; j++) avgW[j] = (avgW[j] as number) + (weights[j] as number);
      for (let k = 0; k < K; k++) avgB[k] = (avgB[k] as number) + (bias[k] as number);
      avgN++;
    }
  }
  if (avgN) {
    for (let j = 0; j < size; j++) weights[j] = (avgW[j] as number) / avgN;
    for (let k = 0; k < K; k++) bias[k] = (avgB[k] as number) / avgN;
  }
  for (let j = 0; j < size; j++) weights[j] = (weights[j] as number) * (scales[j] as number);
  return { labels: [...SENTIMENTS], features, bits: o.bits, bias, weights, meta: { train: o, examples: examples.length } };
}

export function trainNbLr(examples: readonly TrainingExample[], features: FeatureSpec, o: TrainOptions, nb: NbOptions): LinearModel {
  const { counts, ctx } = classCounts(examples, o.bits, nb.valued);
  const r = logCountRatios(counts, nb.alpha);
  const scales = new Float32Array(r.length);
  for (let j = 0; j < r.length; j++) scales[j] = nb.plain || ctx[Math.floor(j / K)] ? 1 : nb.floor + Math.abs(r[j] as number) ** nb.power;
  return trainScaled(examples, features, scales, o, nb.dropout ?? 0);
}

/** Naive Bayes as a LinearModel: multinomial (weights log θ_c) or complement (weights −log θ_¬c). */
export function trainNb(examples: readonly TrainingExample[], features: FeatureSpec, bits: number, nb: NbOptions, complement: boolean): LinearModel {
  const { counts } = classCounts(examples, bits, nb.valued);
  const n = 1 << bits;
  const tot = new Float64Array(K);
  for (let b = 0; b < n; b++) for (let c = 0; c < K; c++) tot[c] = (tot[c] as number) + (counts[b * K + c] as number);
  const all = tot.reduce((a, v) => a + v, 0);
  const weights = new Float32Array(n * K);
  for (let b = 0; b < n; b++) {
    let sum = 0;
    for (let c = 0; c < K; c++) sum += counts[b * K + c] as number;
    for (let c = 0; c < K; c++) {
      const own = counts[b * K + c] as number;
      weights[b * K + c] = complement
        ? -Math.log((sum - own + nb.alpha) / (all - (tot[c] as number) + nb.alpha * n))
        : Math.log((own + nb.alpha) / ((tot[c] as number) + nb.alpha * n));
    }
  }
  // Class prior from the example weights.
  const prior = new Float64Array(K);
  for (const ex of examples) prior[ex.y] = (prior[ex.y] as number) + ex.w;
  const ps = prior.reduce((a, v) => a + v, 0);
  const bias = new Float32Array(K).map((_, c) => Math.log((prior[c] as number) / ps));
  return { labels: [...SENTIMENTS], features, bits, bias, weights, meta: { nb, complement } };
}

function trainModel(m: ModelConfig, rows: readonly LabeledText[], xs: readonly SparseVector[], spec: FeatureSpec, use?: (i: number) => boolean): LinearModel {
  const o: SentimentTrainOptions = { ...SENTIMENT_RECIPE, features: spec, datasetWeights: m.weights ?? {}, ...(m.opts ?? {}) };
  if (m.kind === 'lr') return trainSentiment(rows, xs, o, use);
  const examples = sentimentExamples(rows, xs, o, use);
  const nb = { ...DEFAULT_NB, ...(m.nb ?? {}) };
  if (m.kind === 'nblr') return trainNbLr(examples, spec, o, nb);
  return trainNb(examples, spec, o.bits, nb, m.kind === 'cnb');
}

const isMain = process.argv[1]?.endsWith('nbsvm-experiment.ts');
if (isMain) {
  const config = JSON.parse(process.argv[2] ?? '{}') as Config;
  const spec = { ...FEATURES, ...(config.features ?? {}) };
  const loaded = loadAll('datasets');
  const pre = (t: string): string => (config.caps ? markCaps(config.emoticons ? canonicalEmoticons(t) : t) : config.emoticons ? canonicalEmoticons(t) : t);
  const fix = (rs: LabeledText[]): LabeledText[] => rs.map((r) => ({ ...r, text: pre(r.text) }));
  const [train, umsabVal] = [fix(loaded.train), fix(loaded.umsabVal)];
  const [xf, vf] = [featurizeRows(train, spec), featurizeRows(umsabVal, spec)];
  const started = Date.now();
  const inCv = (r: LabeledText): boolean => (CV_DATASETS as readonly string[]).includes(r.dataset);
  const folds = stratifiedFolds(train, (r) => (inCv(r) ? `${r.dataset}/${r.sentiment}` : 'rest'), 5, seededRandom(99));
  const rows: { dataset: string; gold: string; z: number[][] }[] = [];
  const z = new Float64Array(K);
  const record = (ms: LinearModel[], r: LabeledText, x: SparseVector): void => {
    rows.push({ dataset: r.dataset, gold: r.sentiment, z: ms.map((m) => [...logits(m, x, z)].map((v) => Math.round(v * 1e4) / 1e4)) });
  };
  const trainTimes: number[] = config.models.map(() => 0);
  const trainAll = (use?: (i: number) => boolean): LinearModel[] => config.models.map((m, k) => {
    const t = Date.now();
    const model = trainModel(m, train, xf, spec, use);
    trainTimes[k] = (trainTimes[k] as number) + (Date.now() - t) / 1000;
    return model;
  });
  for (let f = 0; f < 5; f++) {
    const ms = trainAll((i) => !inCv(train[i] as LabeledText) || folds[i] !== f);
    train.forEach((r, i) => { if (inCv(r) && folds[i] === f) record(ms, r, xf[i] as SparseVector); });
  }
  const final = trainAll();
  umsabVal.forEach((r, i) => record(final, r, vf[i] as SparseVector));
  fs.writeFileSync(config.dump, JSON.stringify({ models: config.models.map((m) => m.name), rows }));
  console.log(process.argv[2]);
  config.models.forEach((m, k) => {
    const pred = rows.map((r) => SENTIMENTS[argmax(r.z[k] as number[])] as string);
    const per = [...new Set(rows.map((r) => r.dataset))].sort().map((d) => {
      const idx = rows.map((r, i) => (r.dataset === d ? i : -1)).filter((i) => i >= 0);
      return score(d, idx.map((i) => (rows[i] as { gold: string }).gold), idx.map((i) => pred[i] as string), '');
    });
    const um = per.filter((s) => s.dataset.startsWith('umsab-'));
    const pick = (d: string): string => (um.find((s) => s.dataset === d)?.macroF1 ?? 0).toFixed(3);
    console.log(`  ${m.name}: umsab ${(um.reduce((a, s) => a + s.macroF1, 0) / um.length).toFixed(3)} (de ${pick('umsab-de')} en ${pick('umsab-en')} es ${pick('umsab-es')}) `
      + per.filter((s) => !s.dataset.startsWith('umsab-')).map((s) => `${s.dataset} ${s.accuracy.toFixed(3)}`).join(' ')
      + ` [train ${(trainTimes[k] as number).toFixed(0)} s over 6 fits]`);
  });
  console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
