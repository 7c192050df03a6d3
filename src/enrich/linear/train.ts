/**
 * Training of `LinearModel`s: multinomial logistic regression by AdaGrad over seeded, shuffled epochs.
 * Deterministic: the same examples, options and seed give bit-identical weights on any machine.
 */
import type { FeatureSpec, SparseVector } from '../text/features.ts';
import { logits, softmax, type LinearModel } from './model.ts';

/** One featurised training example: class index `y`, importance `w` (1 = normal). */
export interface TrainingExample {
  x: SparseVector;
  y: number;
  w: number;
}

export interface TrainOptions {
  bits: number;
  epochs: number;
  /** AdaGrad base learning rate. */
  rate: number;
  /** L2 penalty applied to the weights an example touches. */
  l2: number;
  seed: number;
  /** Average the weights at the end of each epoch from this epoch on (1-based; 0 = keep the last weights). */
  averageFrom?: number;
  /**
   * Train this many models with the shuffle seeds `seed`, `seed + 1`, … and return the average of their weights
   * and biases, summed in float64 (absent or 1: one model). The model is linear, so the average's logits are the
   * mean of the k models' logits: an ensemble of k at the scoring cost of one, for k times the training time.
   */
  seeds?: number;
}

export const DEFAULT_TRAIN: TrainOptions = { bits: 20, epochs: 8, rate: 0.2, l2: 1e-6, seed: 1 };

/** mulberry32: a small seeded PRNG, enough for shuffling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

interface State {
  model: LinearModel;
  g2: Float32Array;
  g2bias: Float64Array;
  z: Float64Array;
  mask: number;
}

function step(s: State, ex: TrainingExample, o: TrainOptions): void {
  const { model, g2, z, mask } = s;
  const k = model.labels.length;
  softmax(logits(model, ex.x, z));
  for (let c = 0; c < k; c++) z[c] = ex.w * ((z[c] as number) - (c === ex.y ? 1 : 0));
  for (let c = 0; c < k; c++) {
    const g = z[c] as number;
    s.g2bias[c] = (s.g2bias[c] as number) + g * g;
    model.bias[c] = (model.bias[c] as number) - (o.rate * g) / Math.sqrt((s.g2bias[c] as number) + 1e-8);
  }
  const { idx, val } = ex.x;
  for (let i = 0; i < idx.length; i++) {
    const base = ((idx[i] as number) & mask) * k;
    const v = val[i] as number;
    for (let c = 0; c < k; c++) {
      const j = base + c;
      const w = model.weights[j] as number;
      const g = (z[c] as number) * v + o.l2 * w;
      g2[j] = (g2[j] as number) + g * g;
      model.weights[j] = w - (o.rate * g) / Math.sqrt((g2[j] as number) + 1e-8);
    }
  }
}

/**
 * Trains a model on featurised examples; `labels[y]` names class y. With `seeds: k` the result is the float64
 * average of k models (see `TrainOptions.seeds`); throws if `seeds` is not a positive integer.
 */
export function trainLinear(
  examples: readonly TrainingExample[],
  labels: string[],
  features: FeatureSpec,
  options: Partial<TrainOptions> = {},
): LinearModel {
  const o = { ...DEFAULT_TRAIN, ...options };
  const k = o.seeds ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new Error(`seeds must be a positive integer, got ${k}`);
  if (k === 1) return trainOne(examples, labels, features, o);
  const weights = new Float64Array((1 << o.bits) * labels.length);
  const bias = new Float64Array(labels.length);
  // One model at a time, added in seed order: the sum (and so the file) is the same on every run.
  for (let i = 0; i < k; i++) {
    const m = trainOne(examples, labels, features, { ...o, seed: o.seed + i });
    for (let j = 0; j < weights.length; j++) weights[j] = (weights[j] as number) + (m.weights[j] as number);
    for (let c = 0; c < bias.length; c++) bias[c] = (bias[c] as number) + (m.bias[c] as number);
  }
  return {
    labels, features, bits: o.bits, bias: Float32Array.from(bias, (b) => b / k), weights: Float32Array.from(weights, (w) => w / k),
    meta: { train: o, examples: examples.length },
  };
}

function trainOne(examples: readonly TrainingExample[], labels: string[], features: FeatureSpec, o: TrainOptions): LinearModel {
  const size = (1 << o.bits) * labels.length;
  const model: LinearModel = {
    labels, features, bits: o.bits, bias: new Float32Array(labels.length), weights: new Float32Array(size),
    meta: { train: o, examples: examples.length },
  };
  const s: State = {
    model, g2: new Float32Array(size), g2bias: new Float64Array(labels.length),
    z: new Float64Array(labels.length), mask: (1 << o.bits) - 1,
  };
  const random = seededRandom(o.seed);
  const order = examples.map((_, i) => i);
  const avg = o.averageFrom ? { weights: new Float64Array(size), bias: new Float64Array(labels.length), n: 0 } : undefined;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) step(s, examples[i] as TrainingExample, o);
    if (avg && epoch >= (o.averageFrom as number)) {
      for (let j = 0; j < size; j++) avg.weights[j] = (avg.weights[j] as number) + (model.weights[j] as number);
      for (let c = 0; c < labels.length; c++) avg.bias[c] = (avg.bias[c] as number) + (model.bias[c] as number);
      avg.n++;
    }
  }
  if (avg && avg.n) {
    for (let j = 0; j < size; j++) model.weights[j] = (avg.weights[j] as number) / avg.n;
    for (let c = 0; c < labels.length; c++) model.bias[c] = (avg.bias[c] as number) / avg.n;
  }
  return model;
}
