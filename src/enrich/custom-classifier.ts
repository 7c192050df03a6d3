/**
 * Workspace-defined text classifiers ("bait-and-switch", "refund request", …): train on a few dozen to a few
 * thousand labelled examples in well under a second, store the model as JSON, predict on new mentions.
 * Same method as the built-in models (hashed word + character n-grams, logistic regression), but sparse:
 * only the buckets the examples touched are kept, so a model of a few hundred examples is a few hundred KB.
 */
import type { LinearModel } from './linear/model.ts';
import { argmax, probabilities } from './linear/model.ts';
import { trainLinear } from './linear/train.ts';
import { featurize, type FeatureSpec } from './text/features.ts';

/** A trained custom classifier; plain JSON (JSON.stringify / JSON.parse round-trip it unchanged). */
export interface TextClassifierModel {
  kind: 'earshot-text-classifier';
  version: 1;
  labels: string[];
  features: FeatureSpec;
  bits: number;
  bias: number[];
  /** Buckets with a weight, ascending; every other bucket weighs 0. */
  buckets: number[];
  /** `weights[i * labels.length + k]`: weight of label k in `buckets[i]`. */
  weights: number[];
  trainedOn: number;
}

export interface TextClassifierOptions {
  seed: number;
  epochs: number;
  /** log2 of the hash buckets: 18 keeps collisions rare for up to ~10k examples. */
  bits: number;
}

export const DEFAULT_CLASSIFIER: TextClassifierOptions = { seed: 1, epochs: 10, bits: 18 };
const FEATURES: FeatureSpec = { charMin: 2, charMax: 5, wordMax: 2, context: false };

/** Trains a classifier; throws if there are fewer than two labels (nothing to tell apart). */
export function trainTextClassifier(
  examples: readonly { text: string; label: string }[], options: Partial<TextClassifierOptions> = {},
): TextClassifierModel {
  const o = { ...DEFAULT_CLASSIFIER, ...options };
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error('a classifier needs examples of at least two labels');
  const vectors = examples.map((e) => featurize(e.text, null, FEATURES));
  // Classes are weighted inversely to their frequency: workspaces label a few of the rare class.
  const ys = examples.map((e) => labels.indexOf(e.label));
  const counts = labels.map((_, c) => ys.filter((y) => y === c).length);
  const train = vectors.map((x, i) => ({ x, y: ys[i] as number, w: examples.length / (labels.length * (counts[ys[i] as number] as number)) }));
  const dense = trainLinear(train, labels, FEATURES, { bits: o.bits, epochs: o.epochs, rate: 0.2, l2: 1e-5, seed: o.seed, averageFrom: 2 });
  const { buckets, weights } = sparseWeights(dense, vectors.map((x) => x.idx));
  return { kind: 'earshot-text-classifier', version: 1, labels, features: FEATURES, bits: o.bits,
    bias: Array.from(dense.bias, round), buckets, weights, trainedOn: examples.length };
}

/** Only the buckets some example touched can have non-zero weights. */
function sparseWeights(dense: LinearModel, hashes: Int32Array[]): { buckets: number[]; weights: number[] } {
  const mask = (1 << dense.bits) - 1;
  const k = dense.labels.length;
  const used = new Uint8Array(1 << dense.bits);
  for (const idx of hashes) for (const h of idx) used[h & mask] = 1;
  const buckets: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < used.length; b++) {
    if (!used[b]) continue;
    buckets.push(b);
    for (let c = 0; c < k; c++) weights.push(round(dense.weights[b * k + c] as number));
  }
  return { buckets, weights };
}

function round(w: number): number {
  return Math.round(w * 1e5) / 1e5;
}

// Predictions reuse a dense copy of each model object, built on first use.
const compiled = new WeakMap<TextClassifierModel, LinearModel>();

function compile(model: TextClassifierModel): LinearModel {
  let linear = compiled.get(model);
  if (linear) return linear;
  const k = model.labels.length;
  const weights = new Float32Array((1 << model.bits) * k);
  model.buckets.forEach((b, i) => {
    for (let c = 0; c < k; c++) weights[b * k + c] = model.weights[i * k + c] as number;
  });
  linear = { labels: model.labels, features: model.features, bits: model.bits, bias: Float32Array.from(model.bias), weights, meta: {} };
  compiled.set(model, linear);
  return linear;
}

/** The most likely label, its probability, and the probability of every label. */
export function predict(model: TextClassifierModel, text: string): { label: string; score: number; scores: Record<string, number> } {
  const linear = compile(model);
  const p = probabilities(linear, featurize(text, null, model.features));
  const best = argmax(p);
  const scores = Object.fromEntries(model.labels.map((l, i) => [l, Number((p[i] as number).toFixed(4))]));
  return { label: model.labels[best] as string, score: Number((p[best] as number).toFixed(4)), scores };
}
