/**
 * A multinomial logistic regression over hashed features: the one model type behind sentiment, topics,
 * relevance and custom classifiers. Scoring a text costs one multiply-add per feature and class.
 */
import type { FeatureSpec, SparseVector } from '../text/features.ts';

/** A trained linear model. `weights[(hash & mask) * labels.length + k]` is the weight of class k. */
export interface LinearModel {
  labels: string[];
  features: FeatureSpec;
  /** log2 of the number of hash buckets. */
  bits: number;
  bias: Float32Array;
  /** Trained weights; a model read from disk keeps its int16 weights instead (half the memory, fewer cache misses). */
  weights: Float32Array | Int16Array;
  /** Multiplier of `weights` (1 for float weights). */
  scale?: number;
  /** Free-form provenance: data, seed, options, validation figures. */
  meta: Record<string, unknown>;
}

/** Raw class scores (logits) of one featurised text, written into `out` (length = number of labels). */
export function logits(model: LinearModel, x: SparseVector, out: Float64Array): Float64Array {
  const k = model.labels.length;
  const scale = model.scale ?? 1;
  if (k === 2) return logits2(model, x, out, scale);
  if (k === 3) return logits3(model, x, out, scale);
  const mask = (1 << model.bits) - 1;
  const { weights, idx, val } = { weights: model.weights, idx: x.idx, val: x.val };
  out.fill(0);
  for (let i = 0; i < idx.length; i++) {
    const base = ((idx[i] as number) & mask) * k;
    const v = val[i] as number;
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + v * (weights[base + c] as number);
  }
  for (let c = 0; c < k; c++) out[c] = (model.bias[c] as number) + scale * (out[c] as number);
  return out;
}

/** The two-class case (relevance, the sentiment gate) with the sums in registers. */
function logits2(model: LinearModel, x: SparseVector, out: Float64Array, scale: number): Float64Array {
  const mask = (1 << model.bits) - 1;
  const { weights } = model;
  const { idx, val } = x;
  let a = 0;
  let b = 0;
  for (let i = 0; i < idx.length; i++) {
    const base = ((idx[i] as number) & mask) * 2;
    const v = val[i] as number;
    a += v * (weights[base] as number);
    b += v * (weights[base + 1] as number);
  }
  out[0] = (model.bias[0] as number) + scale * a;
  out[1] = (model.bias[1] as number) + scale * b;
  return out;
}

/** The common three-class case (sentiment) with the sums in registers. */
function logits3(model: LinearModel, x: SparseVector, out: Float64Array, scale: number): Float64Array {
  const mask = (1 << model.bits) - 1;
  const { weights } = model;
  const { idx, val } = x;
  let a = 0;
  let b = 0;
  let c = 0;
  for (let i = 0; i < idx.length; i++) {
    const base = ((idx[i] as number) & mask) * 3;
    const v = val[i] as number;
    a += v * (weights[base] as number);
    b += v * (weights[base + 1] as number);
    c += v * (weights[base + 2] as number);
  }
  out[0] = (model.bias[0] as number) + scale * a;
  out[1] = (model.bias[1] as number) + scale * b;
  out[2] = (model.bias[2] as number) + scale * c;
  return out;
}

/** Softmax in place: turns logits into probabilities that sum to 1. */
export function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i] as number);
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp((z[i] as number) - max);
    sum += z[i] as number;
  }
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) / sum;
  return z;
}

/** Class probabilities of one featurised text. */
export function probabilities(model: LinearModel, x: SparseVector): Float64Array {
  return softmax(logits(model, x, new Float64Array(model.labels.length)));
}

/** Index of the largest value. */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  return best;
}
