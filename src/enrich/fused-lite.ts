/**
 * The language model, the topic model and the sentiment gate all read the light feature space, and their
 * vectors differ only in the language feature (unknown for language id, detected for the others). So one
 * pass over the vector, in one interleaved table, scores all three: the language feature's weights are
 * then swapped per model. Exactly the logits of the separate models (see fused-lite.test.ts).
 */
import type { LinearModel } from './linear/model.ts';
import { languageHash, type SparseVector } from './text/features.ts';

export interface FusedLite {
  models: LinearModel[];
  /** Offset of each model's classes in a bucket's row. */
  offsets: number[];
  width: number;
  bits: number;
  weights: Int16Array | Float32Array;
}

const fusedCache = new WeakMap<LinearModel, { models: LinearModel[]; fused: FusedLite }>();

/** Interleaves models of one feature space and size; cached per set of loaded models. */
export function fuseLite(models: LinearModel[]): FusedLite {
  const first = models[0] as LinearModel;
  const known = fusedCache.get(first);
  if (known && known.models.every((m, i) => m === models[i])) return known.fused;
  const spec = JSON.stringify(first.features);
  if (models.some((m) => m.bits !== first.bits || JSON.stringify(m.features) !== spec)) throw new Error('fused models must share features and size');
  const offsets: number[] = [];
  let width = 0;
  for (const m of models) {
    offsets.push(width);
    width += m.labels.length;
  }
  const buckets = 1 << first.bits;
  const allInt = models.every((m) => m.weights instanceof Int16Array);
  const weights = allInt ? new Int16Array(buckets * width) : new Float32Array(buckets * width);
  models.forEach((m, k) => {
    const n = m.labels.length;
    for (let b = 0; b < buckets; b++) for (let c = 0; c < n; c++) weights[b * width + (offsets[k] as number) + c] = m.weights[b * n + c] as number;
  });
  const fused = { models, offsets, width, bits: first.bits, weights };
  fusedCache.set(first, { models, fused });
  return fused;
}

/** Raw sums Σ v·w of every model over every feature except the language feature (unscaled). */
export function liteSums(f: FusedLite, x: SparseVector, out: Float64Array): Float64Array {
  const mask = (1 << f.bits) - 1;
  const { width, weights } = f;
  touchRows(weights, x.idx, mask, width);
  const skip = x.langAt ?? -1;
  let c = 0;
  // Ten or four classes at a time with the sums in registers; each class still adds its terms in feature order.
  for (; c + 10 <= width; c += 10) sums10(weights, mask, width, c, x, skip, out);
  for (; c + 4 <= width; c += 4) sums4(weights, mask, width, c, x, skip, out);
  for (; c < width; c++) out[c] = sum1(weights, mask, width, c, x, skip);
  return out;
}

function sums4(weights: Int16Array | Float32Array, mask: number, width: number, c: number, x: SparseVector, skip: number, out: Float64Array): void {
  const { idx, val } = x;
  let a = 0;
  let b = 0;
  let d = 0;
  let e = 0;
  for (let i = 0; i < idx.length; i++) {
    if (i === skip) continue;
    const base = ((idx[i] as number) & mask) * width + c;
    const v = val[i] as number;
    a += v * (weights[base] as number);
    b += v * (weights[base + 1] as number);
    d += v * (weights[base + 2] as number);
    e += v * (weights[base + 3] as number);
  }
  out[c] = a;
  out[c + 1] = b;
  out[c + 2] = d;
  out[c + 3] = e;
}

function sums10(weights: Int16Array | Float32Array, mask: number, width: number, c: number, x: SparseVector, skip: number, out: Float64Array): void {
  const { idx, val } = x;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0;
  for (let i = 0; i < idx.length; i++) {
    if (i === skip) continue;
    const base = ((idx[i] as number) & mask) * width + c;
    const v = val[i] as number;
    a0 += v * (weights[base] as number);
    a1 += v * (weights[base + 1] as number);
    a2 += v * (weights[base + 2] as number);
    a3 += v * (weights[base + 3] as number);
    a4 += v * (weights[base + 4] as number);
    a5 += v * (weights[base + 5] as number);
    a6 += v * (weights[base + 6] as number);
    a7 += v * (weights[base + 7] as number);
    a8 += v * (weights[base + 8] as number);
    a9 += v * (weights[base + 9] as number);
  }
  out[c] = a0; out[c + 1] = a1; out[c + 2] = a2; out[c + 3] = a3; out[c + 4] = a4;
  out[c + 5] = a5; out[c + 6] = a6; out[c + 7] = a7; out[c + 8] = a8; out[c + 9] = a9;
}

function sum1(weights: Int16Array | Float32Array, mask: number, width: number, c: number, x: SparseVector, skip: number): number {
  const { idx, val } = x;
  let a = 0;
  for (let i = 0; i < idx.length; i++) if (i !== skip) a += (val[i] as number) * (weights[((idx[i] as number) & mask) * width + c] as number);
  return a;
}

// Written so that the reads of touchRows have an effect and are kept.
let _sink = 0;

/**
 * Reads the first and last weight of each feature's row before the scoring loop needs them. This loop is
 * short, so the processor keeps many of its cache misses in flight at once; in the scoring loop (20
 * multiply-adds per feature) it can keep only one or two, and waits for each row in turn.
 */
function touchRows(weights: Int16Array | Float32Array, idx: Int32Array, mask: number, width: number): void {
  let t = 0;
  for (let i = 0; i < idx.length; i++) {
    const base = ((idx[i] as number) & mask) * width;
    t += (weights[base] as number) + (weights[base + width - 1] as number);
  }
  _sink = t;
}

/** Logits of model k for the text whose `liteSums` are `sums`, under language `lang`. */
export function liteLogits(f: FusedLite, k: number, sums: Float64Array, lang: string | null | undefined, out: Float64Array): Float64Array {
  const m = f.models[k] as LinearModel;
  const n = m.labels.length;
  const offset = f.offsets[k] as number;
  const scale = m.scale ?? 1;
  const base = (languageHash(lang) & ((1 << f.bits) - 1)) * f.width + offset;
  for (let c = 0; c < n; c++) {
    // The language feature has value 1 (features.ts, contextFeatures).
    out[c] = (m.bias[c] as number) + scale * ((sums[offset + c] as number) + (f.weights[base + c] as number));
  }
  return out;
}
