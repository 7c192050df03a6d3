/**
 * The fast path of the sentiment mixture: the two three-class experts' weights interleaved in one table
 * (bucket → feedback[3], tweets[3]), so scoring both costs one memory access per feature instead of two.
 */
import type { LinearModel } from '../linear/model.ts';
import type { FeatureSpec, SparseVector } from '../text/features.ts';

export interface FusedPair {
  features: FeatureSpec;
  bits: number;
  /** `weights[bucket * 6 + c]`: feedback expert class c; `+ 3 + c`: tweets expert class c. */
  weights: Float32Array | Int16Array;
  scales: [number, number];
  biases: [Float32Array, Float32Array];
}

// One fused table per loaded pair of experts, however many enricher chains are built from them.
const fused = new WeakMap<LinearModel, { tweets: LinearModel; pair: FusedPair }>();

/** Interleaves two three-class models of the same feature space and size (once per pair of models). */
export function fuseExperts(feedback: LinearModel, tweets: LinearModel): FusedPair {
  const known = fused.get(feedback);
  if (known && known.tweets === tweets) return known.pair;
  const pair = interleave(feedback, tweets);
  fused.set(feedback, { tweets, pair });
  return pair;
}

function interleave(feedback: LinearModel, tweets: LinearModel): FusedPair {
  if (feedback.labels.length !== 3 || tweets.labels.join() !== feedback.labels.join() || feedback.bits !== tweets.bits) {
    throw new Error('sentiment experts must share labels and size');
  }
  const buckets = 1 << feedback.bits;
  const weights = feedback.weights instanceof Int16Array && tweets.weights instanceof Int16Array
    ? new Int16Array(buckets * 6) : new Float32Array(buckets * 6);
  for (let b = 0; b < buckets; b++) {
    for (let c = 0; c < 3; c++) {
      weights[b * 6 + c] = feedback.weights[b * 3 + c] as number;
      weights[b * 6 + 3 + c] = tweets.weights[b * 3 + c] as number;
    }
  }
  return {
    features: feedback.features, bits: feedback.bits, weights,
    scales: [feedback.scale ?? 1, tweets.scale ?? 1], biases: [feedback.bias, tweets.bias],
  };
}

function softmax3(a: number, b: number, c: number, out: Float64Array, weight: number, add: boolean): void {
  const m = Math.max(a, b, c);
  const ea = Math.exp(a - m);
  const eb = Math.exp(b - m);
  const ec = Math.exp(c - m);
  const s = weight / (ea + eb + ec);
  out[0] = (add ? (out[0] as number) : 0) + ea * s;
  out[1] = (add ? (out[1] as number) : 0) + eb * s;
  out[2] = (add ? (out[2] as number) : 0) + ec * s;
}

/** Writes (1 − g) · p_feedback + g · p_tweets into `out`. */
export function pairProbabilities(pair: FusedPair, x: SparseVector, g: number, out: Float64Array): Float64Array {
  const mask = (1 << pair.bits) - 1;
  const w = pair.weights;
  let f0 = 0, f1 = 0, f2 = 0, t0 = 0, t1 = 0, t2 = 0;
  for (let i = 0; i < x.idx.length; i++) {
    const base = ((x.idx[i] as number) & mask) * 6;
    const v = x.val[i] as number;
    f0 += v * (w[base] as number);
    f1 += v * (w[base + 1] as number);
    f2 += v * (w[base + 2] as number);
    t0 += v * (w[base + 3] as number);
    t1 += v * (w[base + 4] as number);
    t2 += v * (w[base + 5] as number);
  }
  const [sf, st] = pair.scales;
  const [bf, bt] = pair.biases;
  softmax3((bf[0] as number) + sf * f0, (bf[1] as number) + sf * f1, (bf[2] as number) + sf * f2, out, 1 - g, false);
  softmax3((bt[0] as number) + st * t0, (bt[1] as number) + st * t1, (bt[2] as number) + st * t2, out, g, true);
  return out;
}

/**
 * `pairProbabilities`, and in the same pass the logits of a two-class model of the same feature space
 * (relevance) into `extraOut`: its row loads overlap the experts' cache misses instead of waiting in a pass
 * of their own. Each sum adds the same terms in the same order as `pairProbabilities` and `logits`.
 */
export function pairProbabilitiesWith(
  pair: FusedPair, x: SparseVector, g: number, out: Float64Array, extra: LinearModel, extraOut: Float64Array,
): Float64Array {
  const mask = (1 << pair.bits) - 1;
  const extraMask = (1 << extra.bits) - 1;
  const w = pair.weights;
  const e = extra.weights;
  let f0 = 0, f1 = 0, f2 = 0, t0 = 0, t1 = 0, t2 = 0, r0 = 0, r1 = 0;
  for (let i = 0; i < x.idx.length; i++) {
    const h = x.idx[i] as number;
    const base = (h & mask) * 6;
    const extraBase = (h & extraMask) * 2;
    const v = x.val[i] as number;
    f0 += v * (w[base] as number);
    f1 += v * (w[base + 1] as number);
    f2 += v * (w[base + 2] as number);
    t0 += v * (w[base + 3] as number);
    t1 += v * (w[base + 4] as number);
    t2 += v * (w[base + 5] as number);
    r0 += v * (e[extraBase] as number);
    r1 += v * (e[extraBase + 1] as number);
  }
  const scale = extra.scale ?? 1;
  extraOut[0] = (extra.bias[0] as number) + scale * r0;
  extraOut[1] = (extra.bias[1] as number) + scale * r1;
  const [sf, st] = pair.scales;
  const [bf, bt] = pair.biases;
  softmax3((bf[0] as number) + sf * f0, (bf[1] as number) + sf * f1, (bf[2] as number) + sf * f2, out, 1 - g, false);
  softmax3((bt[0] as number) + st * t0, (bt[1] as number) + st * t1, (bt[2] as number) + st * t2, out, g, true);
  return out;
}
