/**
 * Two variants of the committed sentiment mixture, measured over several shuffle seeds (same protocol as
 * experts-experiment.ts: UMSAB val for UMSAB, 5-fold CV with fold seed 99 for airline-en, airline-es, GermEval):
 *
 * 1. Seed-averaged experts: each expert is linear, so averaging the weights and biases of k models trained with
 *    different shuffle seeds equals averaging their logits (a free ensemble at inference). Every seed in `seeds`
 *    is trained once per fold and evaluated alone (`s<seed>`); each set in `groups` is then evaluated as
 *    `avg<set>` (experts averaged, the gate of the set's first seed), `avg<set>+g` (gate averaged as well) and
 *    `pavg<set>` (for comparison: the average of the single mixtures' probabilities). Averaging happens in
 *    float64 before any int16 quantisation; `quantise: true` also evaluates every model after the int16
 *    round trip of linear/codec.ts (suffix `:q`). Each list of expert names in `partial` adds `avg<set>[names]`:
 *    only those experts averaged, the others and the gate from the set's first seed.
 * 2. Label cleaning in the training folds only (`clean`: 'majority' | 'drop'): the rows of `cleanDatasets`
 *    (default airline-es) that share a near-duplicate key (the first 60 characters once links and handles are
 *    removed, whitespace collapsed, lower-cased) get their group's majority label ('majority'; ties keep their
 *    labels) or are dropped unless they carry a majority label ('drop'). Groups are formed within each fold's
 *    training rows only; the evaluated fold is never touched. The gate is trained on the uncleaned rows.
 *
 * Usage: node --import tsx scripts/nlp/seed-average-experiment.ts '<json config>'
 *   config: { seeds: number[], groups?: number[][], partial?: string[][], clean?: 'majority' | 'drop', cleanDatasets?: string[],
 *             quantise?: boolean, out?: string (JSON summary; `<out>.probs.json` gets per-row probabilities),
 *             parts?: (0-4 | 'full')[] (train and evaluate only these CV folds / UMSAB val; default all, so that
 *             two processes can share the work), merge?: string[] (`.probs.json` files of such runs: their
 *             probabilities are added up and scored, nothing is trained),
 *             experts?, domains?, gate?, features? (as in experts-experiment.ts; default = committed recipe) }
 */
import fs from 'node:fs';
import { loadAll, SENTIMENTS, type LabeledText, type SentimentLabel } from '../../src/enrich/data/datasets.ts';
import { CV_DATASETS, score } from '../../src/enrich/eval/sentiment.eval.ts';
import { stratifiedFolds } from '../../src/enrich/eval/metrics.ts';
import { decodeModel, encodeModel } from '../../src/enrich/linear/codec.ts';
import { argmax, probabilities, type LinearModel } from '../../src/enrich/linear/model.ts';
import { seededRandom, trainLinear, type TrainingExample, type TrainOptions } from '../../src/enrich/linear/train.ts';
import { FEATURES, LITE_FEATURES, SENTIMENT_RECIPE, featurizeRows } from '../../src/enrich/recipe.ts';
import { trainSentiment, type SentimentTrainOptions } from '../../src/enrich/sentiment/sentiment.train.ts';
import type { FeatureSpec, SparseVector } from '../../src/enrich/text/features.ts';

interface ExpertConfig { name: string; weights: Record<string, number>; opts?: Partial<SentimentTrainOptions> }
interface Config {
  seeds: number[];
  groups?: number[][];
  partial?: string[][];
  clean?: 'majority' | 'drop';
  cleanDatasets?: string[];
  quantise?: boolean;
  out?: string;
  parts?: (number | 'full')[];
  merge?: string[];
  experts?: ExpertConfig[];
  domains?: Record<string, string>;
  gate?: Partial<TrainOptions>;
  features?: Partial<FeatureSpec>;
}

/** The committed recipe (src/enrich/recipe.ts MIXTURE_RECIPE). */
const COMMITTED_EXPERTS: ExpertConfig[] = [
  { name: 'feedback', weights: { 'umsab-*': 0.5 } },
  { name: 'tweets', weights: { 'umsab-*': 3 } },
];
const COMMITTED_DOMAINS: Record<string, string> = { 'umsab-*': 'tweets', 'airline-en': 'feedback', 'airline-es': 'feedback', germeval: 'feedback' };

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const expertsCfg = config.experts ?? COMMITTED_EXPERTS;
const domains = config.domains ?? COMMITTED_DOMAINS;
const groups = config.groups ?? [];
for (const g of groups) for (const s of g) if (!config.seeds.includes(s)) throw new Error(`group seed ${s} not in seeds`);
const cleanDatasets = config.cleanDatasets ?? ['airline-es'];
const fullSpec = { ...FEATURES, ...(config.features ?? {}) };
const names = expertsCfg.map((e) => e.name);
const domainOf = (dataset: string): number =>
  names.indexOf(domains[dataset] ?? (dataset.startsWith('umsab-') ? (domains['umsab-*'] as string) : ''));

const started = Date.now();
const { train, umsabVal } = loadAll('datasets');
const [xf, xl, vf, vl] = [featurizeRows(train, fullSpec), featurizeRows(train, LITE_FEATURES), featurizeRows(umsabVal, fullSpec), featurizeRows(umsabVal, LITE_FEATURES)];
console.log(`featurised ${train.length} + ${umsabVal.length} rows in ${((Date.now() - started) / 1000).toFixed(0)} s`);

// ---- label cleaning --------------------------------------------------------------------------------------

/** Near-duplicate key: the first 60 characters once links and handles are removed. */
const dupKey = (t: string): string =>
  t.replace(/https?:\/\/\S+/g, '').replace(/@\w+/g, '').replace(/\s+/g, ' ').trim().toLowerCase().slice(0, 60);
const keys = train.map((r) => (cleanDatasets.includes(r.dataset) ? `${r.dataset}\u0000${dupKey(r.text)}` : ''));

/**
 * Rows for training under `use`: cleaned labels (a copy of `train`) and the rows the experts may use. Groups are
 * built from the rows `use` admits only, so an evaluated fold never influences (nor is changed by) the cleaning.
 */
function cleaned(use?: (i: number) => boolean): { rows: LabeledText[]; use?: (i: number) => boolean; changed: number; dropped: number } {
  if (!config.clean) return { rows: train, use, changed: 0, dropped: 0 };
  const counts = new Map<string, number[]>();
  train.forEach((_, i) => {
    const k = keys[i] as string;
    if (!k || (use && !use(i))) return;
    const c = counts.get(k) ?? [0, 0, 0];
    const y = SENTIMENTS.indexOf((train[i] as LabeledText).sentiment);
    c[y] = (c[y] as number) + 1;
    counts.set(k, c);
  });
  const rows = train.slice();
  const drop = new Set<number>();
  let changed = 0;
  train.forEach((r, i) => {
    const k = keys[i] as string;
    if (!k || (use && !use(i))) return;
    const c = counts.get(k) as number[];
    const n = c[0]! + c[1]! + c[2]!;
    if (n < 2) return;
    const max = Math.max(...c);
    const winners = [0, 1, 2].filter((j) => c[j] === max);
    const own = SENTIMENTS.indexOf(r.sentiment);
    if (winners.includes(own)) return;
    if (config.clean === 'drop') drop.add(i);
    else if (winners.length === 1) {
      rows[i] = { ...r, sentiment: SENTIMENTS[winners[0] as number] as SentimentLabel };
      changed++;
    }
  });
  const base = use;
  return { rows, use: drop.size ? (i) => (!base || base(i)) && !drop.has(i) : base, changed, dropped: drop.size };
}

// ---- models ----------------------------------------------------------------------------------------------

type Mixture = { experts: LinearModel[]; gate: LinearModel };

function quantised(m: LinearModel): LinearModel {
  return decodeModel(encodeModel(m));
}

/** Float64 running sum of models with the same shape. */
class ModelSum {
  weights: Float64Array;
  bias: Float64Array;
  n = 0;
  constructor(private readonly like: LinearModel) {
    this.weights = new Float64Array(like.weights.length);
    this.bias = new Float64Array(like.bias.length);
  }
  add(m: LinearModel): void {
    const w = m.weights;
    const s = m.scale ?? 1;
    for (let j = 0; j < w.length; j++) this.weights[j] = (this.weights[j] as number) + s * (w[j] as number);
    for (let c = 0; c < m.bias.length; c++) this.bias[c] = (this.bias[c] as number) + (m.bias[c] as number);
    this.n++;
  }
  mean(): LinearModel {
    const weights = new Float32Array(this.weights.length);
    for (let j = 0; j < weights.length; j++) weights[j] = (this.weights[j] as number) / this.n;
    const bias = new Float32Array(this.bias.length);
    for (let c = 0; c < bias.length; c++) bias[c] = (this.bias[c] as number) / this.n;
    return { ...this.like, weights, bias, scale: undefined, meta: { ...this.like.meta, averagedOver: this.n } };
  }
}

// ---- evaluation bookkeeping ------------------------------------------------------------------------------

const inCv = (r: LabeledText): boolean => (CV_DATASETS as readonly string[]).includes(r.dataset);
const folds = stratifiedFolds(train, (r) => (inCv(r) ? `${r.dataset}/${r.sentiment}` : 'rest'), 5, seededRandom(99));
const cvIdx = train.map((r, i) => (inCv(r) ? i : -1)).filter((i) => i >= 0);
const cvPos = new Map(cvIdx.map((i, p) => [i, p]));
/** Mixture probabilities per variant: cv[p*3+c] for cvIdx[p], val[i*3+c] for umsabVal[i]. */
const probs = new Map<string, { cv: Float32Array; val: Float32Array }>();
const slot = (variant: string): { cv: Float32Array; val: Float32Array } => {
  let s = probs.get(variant);
  if (!s) probs.set(variant, (s = { cv: new Float32Array(cvIdx.length * 3), val: new Float32Array(umsabVal.length * 3) }));
  return s;
};

function mixture(m: Mixture, full: SparseVector, lite: SparseVector): Float64Array {
  const g = probabilities(m.gate, lite);
  const p = new Float64Array(3);
  m.experts.forEach((e, k) => probabilities(e, full).forEach((v, c) => (p[c] = (p[c] as number) + (g[k] as number) * v)));
  return p;
}

/** Evaluates mixture `m` on the rows of part `part` (a fold number, or 'full' for UMSAB val). */
function record(variant: string, m: Mixture, part: number | 'full'): void {
  const put = (v: string, mm: Mixture): void => {
    const s = slot(v);
    if (part === 'full') {
      umsabVal.forEach((_, i) => s.val.set(mixture(mm, vf[i] as SparseVector, vl[i] as SparseVector), i * 3));
    } else {
      for (const i of cvIdx) {
        if (folds[i] === part) s.cv.set(mixture(mm, xf[i] as SparseVector, xl[i] as SparseVector), (cvPos.get(i) as number) * 3);
      }
    }
  };
  put(variant, m);
  if (config.quantise) put(`${variant}:q`, { experts: m.experts.map(quantised), gate: quantised(m.gate) });
}

// ---- training loop ---------------------------------------------------------------------------------------

const expertSeconds: number[] = [];
const cleanLog: string[] = [];
const parts: (number | 'full')[] = config.merge ? [] : config.parts ?? [0, 1, 2, 3, 4, 'full'];
for (const part of parts) {
  const use = part === 'full' ? undefined : (i: number): boolean => !inCv(train[i] as LabeledText) || folds[i] !== part;
  const c = cleaned(use);
  if (config.clean) cleanLog.push(`part ${part}: ${c.changed} labels changed, ${c.dropped} rows dropped`);
  const gateExamples: TrainingExample[] = train.flatMap((r, i) => {
    const y = domainOf(r.dataset);
    return (use && !use(i)) || y < 0 ? [] : [{ x: xl[i] as SparseVector, y, w: 1 }];
  });
  const gates = new Map<number, LinearModel>();
  const singles = new Map<number, LinearModel[]>();
  const sums = new Map<string, { experts: ModelSum[]; gate: ModelSum; set: number[] }>();
  for (const seed of config.seeds) {
    const t0 = Date.now();
    const experts = expertsCfg.map((e) =>
      trainSentiment(c.rows, xf, { ...SENTIMENT_RECIPE, features: fullSpec, datasetWeights: e.weights, ...(e.opts ?? {}), seed }, c.use));
    expertSeconds.push((Date.now() - t0) / 1000);
    const gate = trainLinear(gateExamples, names, LITE_FEATURES, { bits: 16, epochs: 3, rate: 0.1, ...(config.gate ?? {}), seed });
    gates.set(seed, gate);
    if (config.partial) singles.set(seed, experts);
    record(`s${seed}`, { experts, gate }, part);
    for (const set of groups) {
      if (!set.includes(seed)) continue;
      const key = set.join('+');
      let acc = sums.get(key);
      if (!acc) sums.set(key, (acc = { experts: experts.map((e) => new ModelSum(e)), gate: new ModelSum(gate), set }));
      experts.forEach((e, k) => acc!.experts[k]!.add(e));
      acc.gate.add(gate);
      if (acc.gate.n === set.length) {
        const avgExperts = acc.experts.map((s) => s.mean());
        record(`avg${key}`, { experts: avgExperts, gate: gates.get(set[0] as number) as LinearModel }, part);
        record(`avg${key}+g`, { experts: avgExperts, gate: acc.gate.mean() }, part);
        const first = { experts: singles.get(set[0] as number) as LinearModel[], gate: gates.get(set[0] as number) as LinearModel };
        for (const only of config.partial ?? []) {
          const experts = first.experts.map((e, k) => (only.includes(names[k] as string) ? avgExperts[k] as LinearModel : e));
          record(`avg${key}[${only.join(',')}]`, { experts, gate: first.gate }, part);
        }
        sums.delete(key);
      }
    }
    console.log(`part ${part} seed ${seed}: experts ${((Date.now() - t0) / 1000).toFixed(1)} s (elapsed ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}

// runs over disjoint parts: each row's probabilities come from the one run that evaluated it (zeros elsewhere)
for (const file of config.merge ?? []) {
  const dump = JSON.parse(fs.readFileSync(file, 'utf8')) as { cvIds: string[]; valIds: string[]; variants: Record<string, { cv: number[]; val: number[] }> };
  if (dump.cvIds.join() !== cvIdx.map((i) => train[i]!.id).join() || dump.valIds.join() !== umsabVal.map((r) => r.id).join()) {
    throw new Error(`${file}: rows differ from this run's`);
  }
  for (const [variant, p] of Object.entries(dump.variants)) {
    if (variant.startsWith('pavg')) continue; // recomputed below from the merged single seeds
    const s = slot(variant);
    p.cv.forEach((v, j) => (s.cv[j] = (s.cv[j] as number) + v));
    p.val.forEach((v, j) => (s.val[j] = (s.val[j] as number) + v));
  }
}

// probability averages of the single mixtures, for comparison with the weight averages
for (const set of groups) {
  for (const q of config.quantise ? ['', ':q'] : ['']) {
    const s = slot(`pavg${set.join('+')}${q}`);
    for (const seed of set) {
      const one = probs.get(`s${seed}${q}`)!;
      one.cv.forEach((v, j) => (s.cv[j] = (s.cv[j] as number) + v / set.length));
      one.val.forEach((v, j) => (s.val[j] = (s.val[j] as number) + v / set.length));
    }
  }
}

// ---- scores ----------------------------------------------------------------------------------------------

const langs = [...new Set(umsabVal.map((r) => r.dataset))].sort();
interface Row { variant: string; umsabMean: number; umsab: Record<string, number>; cv: Record<string, { acc: number; mF1: number }> }
const label = (p: Float32Array, j: number): string => SENTIMENTS[argmax(p.subarray(j * 3, j * 3 + 3))] as string;
const results: Row[] = [...probs.entries()].map(([variant, p]) => {
  const umsab: Record<string, number> = {};
  for (const d of langs) {
    const idx = umsabVal.map((r, i) => (r.dataset === d ? i : -1)).filter((i) => i >= 0);
    umsab[d.slice(6)] = score(d, idx.map((i) => (umsabVal[i] as LabeledText).sentiment), idx.map((i) => label(p.val, i)), 'val').macroF1;
  }
  const cv: Row['cv'] = {};
  for (const d of CV_DATASETS) {
    const pos = cvIdx.map((i, j) => (train[i]!.dataset === d ? j : -1)).filter((j) => j >= 0);
    const s = score(d, pos.map((j) => train[cvIdx[j] as number]!.sentiment), pos.map((j) => label(p.cv, j)), 'cv');
    cv[d] = { acc: s.accuracy, mF1: s.macroF1 };
  }
  const vals = Object.values(umsab);
  return { variant, umsabMean: vals.reduce((a, b) => a + b, 0) / vals.length, umsab, cv };
});

const f3 = (x: number): string => x.toFixed(3);
console.log(process.argv[2]);
for (const l of cleanLog) console.log(`  ${l}`);
console.log('variant | UMSAB mean | de | en | es | airline-en acc | airline-es acc | GermEval acc | (airline-en mF1 / airline-es mF1 / GermEval mF1)');
for (const r of results) {
  console.log([r.variant, f3(r.umsabMean), f3(r.umsab.de!), f3(r.umsab.en!), f3(r.umsab.es!),
    f3(r.cv['airline-en']!.acc), f3(r.cv['airline-es']!.acc), f3(r.cv.germeval!.acc),
    `(${f3(r.cv['airline-en']!.mF1)} / ${f3(r.cv['airline-es']!.mF1)} / ${f3(r.cv.germeval!.mF1)})`].join(' | '));
}
const meanExpert = expertSeconds.reduce((a, b) => a + b, 0) / expertSeconds.length;
console.log(`  training: ${meanExpert.toFixed(1)} s per single-seed expert pair (${expertsCfg.length} experts), mean of ${expertSeconds.length}; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (config.out) {
  fs.writeFileSync(config.out, JSON.stringify({ config, cleanLog, expertPairSeconds: expertSeconds, results }, null, 1));
  fs.writeFileSync(`${config.out}.probs.json`, JSON.stringify({
    cvIds: cvIdx.map((i) => train[i]!.id), valIds: umsabVal.map((r) => r.id),
    variants: Object.fromEntries([...probs.entries()].map(([v, p]) => [v, { cv: Array.from(p.cv, (x) => +x.toFixed(4)), val: Array.from(p.val, (x) => +x.toFixed(4)) }])),
  }));
}
