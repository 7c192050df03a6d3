/**
 * A workspace's own adjustment of the base sentiment and topic models, learned from its agents' corrections.
 *
 * The base models stay as they are; a workspace model is a small *residual*: sparse linear weights over the
 * light feature space that are added to the base model's log-probabilities, trained (AdaGrad, L2 towards
 * zero) on the corrected mentions with the base output held fixed. So it learns only where the base model
 * and the workspace disagree, with no correction it is the base model, and it is small enough (the buckets
 * the corrected texts touch) to be stored as JSON in the database. Pure: no I/O.
 */
import { SENTIMENTS, type SentimentLabel } from '../data/datasets.ts';
import { seededRandom, shuffle } from '../linear/train.ts';
import { featurize, type FeatureSpec, type SparseVector } from '../text/features.ts';

/** One corrected mention: what the agent said it is (null = not corrected on that field). */
export interface CorrectionExample {
  text: string;
  lang: string | null;
  sentiment: SentimentLabel | null;
  topics: string[] | null;
}

/** Sparse residual weights: `weights[bucket]` holds one weight per label. */
export interface Residual {
  labels: string[];
  bits: number;
  bias: number[];
  weights: Record<string, number[]>;
}

/** What is stored per workspace (plain JSON). */
export interface WorkspaceModel {
  version: 1;
  sentiment: Residual | null;
  topics: Residual | null;
  /** How many corrections of each kind the model learned from. */
  examples: { sentiment: number; topics: number };
}

export interface ResidualOptions {
  bits: number;
  epochs: number;
  rate: number;
  l2: number;
  seed: number;
}

export const DEFAULT_RESIDUAL: ResidualOptions = { bits: 18, epochs: 30, rate: 0.3, l2: 1e-3, seed: 1 };

/** Base class probabilities of a text, as the workspace model's trainer and scorer see them. */
export type BaseScore = (text: string, lang: string | null) => ArrayLike<number>;

/**
 * The residuals see word uni- and bigrams only: no character n-grams and no language or handle features,
 * which would let a few corrections shift every text of a language (measured in workspace-model.test.ts).
 */
export const RESIDUAL_FEATURES: FeatureSpec = { charMin: 1, charMax: 0, wordMax: 2, context: false };

export function residualVector(text: string, lang: string | null): SparseVector {
  return featurize(text, lang, RESIDUAL_FEATURES);
}

/** Adds the residual's logits to `logBase` (log-probabilities) in place and returns softmax of the sum. */
export function applyResidual(r: Residual, x: SparseVector, logBase: Float64Array): Float64Array {
  const k = r.labels.length;
  const mask = (1 << r.bits) - 1;
  for (let c = 0; c < k; c++) logBase[c] = (logBase[c] as number) + (r.bias[c] as number);
  for (let i = 0; i < x.idx.length; i++) {
    const w = r.weights[String((x.idx[i] as number) & mask)];
    if (!w) continue;
    const v = x.val[i] as number;
    for (let c = 0; c < k; c++) logBase[c] = (logBase[c] as number) + v * (w[c] as number);
  }
  return softmaxInPlace(logBase);
}

function softmaxInPlace(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += (z[i] = Math.exp((z[i] as number) - max));
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) / sum;
  return z;
}

/** log of base probabilities, floored so that a confident base model can still be overruled. */
export function logOf(p: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: p.length }, (_, i) => Math.log(Math.max(1e-4, p[i] as number)));
}

interface Example {
  x: SparseVector;
  base: Float64Array;
  y: number;
  w: number;
}

interface ResidualState {
  k: number;
  mask: number;
  weights: Map<number, Float64Array>;
  g2: Map<number, Float64Array>;
  z: Float64Array;
}

/** One AdaGrad step on one example: softmax(base + residual) against the corrected class. */
function residualStep(s: ResidualState, ex: Example, o: ResidualOptions): void {
  const { k, mask, weights, g2, z } = s;
  z.set(ex.base);
  for (let j = 0; j < ex.x.idx.length; j++) {
    const w = weights.get((ex.x.idx[j] as number) & mask);
    if (w) for (let c = 0; c < k; c++) z[c] = (z[c] as number) + (ex.x.val[j] as number) * (w[c] as number);
  }
  softmaxInPlace(z);
  for (let c = 0; c < k; c++) z[c] = ex.w * ((z[c] as number) - (c === ex.y ? 1 : 0));
  for (let j = 0; j < ex.x.idx.length; j++) {
    const b = (ex.x.idx[j] as number) & mask;
    const w = weights.get(b) ?? (weights.set(b, new Float64Array(k)).get(b) as Float64Array);
    const g = g2.get(b) ?? (g2.set(b, new Float64Array(k)).get(b) as Float64Array);
    for (let c = 0; c < k; c++) {
      const grad = (z[c] as number) * (ex.x.val[j] as number) + o.l2 * (w[c] as number);
      g[c] = (g[c] as number) + grad * grad;
      w[c] = (w[c] as number) - (o.rate * grad) / Math.sqrt((g[c] as number) + 1e-8);
    }
  }
}

/**
 * Trains a residual on examples whose base log-probabilities are fixed. Deterministic given the seed.
 * No bias: corrections are not a sample of the workspace's mentions (agents correct what is wrong), so their
 * label frequencies say nothing about the prior, and a learned bias would move every text.
 */
export function trainResidual(examples: readonly Example[], labels: string[], o: ResidualOptions = DEFAULT_RESIDUAL): Residual {
  const k = labels.length;
  const s: ResidualState = { k, mask: (1 << o.bits) - 1, weights: new Map(), g2: new Map(), z: new Float64Array(k) };
  const order = shuffle(examples.map((_, i) => i), seededRandom(o.seed));
  const random = seededRandom(o.seed + 1);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const i of shuffle(order, random)) residualStep(s, examples[i] as Example, o);
  }
  const round = (v: number): number => Math.round(v * 1e5) / 1e5;
  const stored: Record<string, number[]> = {};
  for (const b of [...s.weights.keys()].sort((a, c) => a - c)) stored[String(b)] = Array.from(s.weights.get(b) as Float64Array, round);
  return { labels, bits: o.bits, bias: new Array<number>(k).fill(0), weights: stored };
}

/**
 * Trains a workspace model from its corrections. `sentiment` and `topics` give the base model's probabilities
 * (the mixture's, and the topic model's over `topicLabels`). A field with no correction gets no residual.
 */
export function trainWorkspaceModel(
  corrections: readonly CorrectionExample[], base: { sentiment: BaseScore; topics: BaseScore; topicLabels: string[] }, o: ResidualOptions = DEFAULT_RESIDUAL,
): WorkspaceModel {
  const sentimentExamples: Example[] = [];
  const topicExamples: Example[] = [];
  for (const c of corrections) {
    const x = residualVector(c.text, c.lang);
    if (c.sentiment) sentimentExamples.push({ x, base: logOf(base.sentiment(c.text, c.lang)), y: SENTIMENTS.indexOf(c.sentiment), w: 1 });
    const topics = (c.topics ?? []).filter((t) => base.topicLabels.includes(t));
    // A mention corrected to "no topic" teaches nothing to a model that always names one; it is skipped.
    const logTopics = topics.length ? logOf(base.topics(c.text, c.lang)) : null;
    for (const t of topics) topicExamples.push({ x, base: logTopics as Float64Array, y: base.topicLabels.indexOf(t), w: 1 / topics.length });
  }
  return {
    version: 1,
    sentiment: sentimentExamples.length ? trainResidual(sentimentExamples, [...SENTIMENTS], o) : null,
    topics: topicExamples.length ? trainResidual(topicExamples, base.topicLabels, o) : null,
    examples: { sentiment: sentimentExamples.length, topics: corrections.filter((c) => c.topics?.length).length },
  };
}
