/**
 * Hashed feature extraction: word uni- and bigrams, character n-grams, brand handles and the language,
 * each hashed to 32 bits. A model folds the hashes into its own `2^bits` buckets, so models that share a
 * `FeatureSpec` share one vector and a text is featurised once however many models look at it.
 */
import { handlesOf, normalizeText, tokenize } from './normalize.ts';

/** How texts become sparse vectors. Stored with each model: a model only reads vectors of its own space. */
export interface FeatureSpec {
  /** Character n-gram lengths, inclusive; `charMax: 0` turns character n-grams off. */
  charMin: number;
  charMax: number;
  /** Word n-grams up to this length (1 = unigrams, 2 = uni + bigrams; 0 = none). */
  wordMax: number;
  /** Add the language code and brand handles as features. */
  context: boolean;
  /** Add the language crossed with a text-length bucket (tells tweets from long posts). */
  lengthBucket?: boolean;
  /** Also emit every word feature crossed with the language, so each language can adjust shared weights. */
  langWords?: boolean;
}

export const DEFAULT_FEATURES: FeatureSpec = { charMin: 2, charMax: 5, wordMax: 2, context: true };

/** A sparse vector: hash `idx[i]` holds value `val[i]`; hashes may repeat (their values add up). */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

const FNV_PRIME = 0x01000193;
const SEED_WORD = 0x811c9dc5;
const SEED_CHAR = 0x2f6b1a3d;
const SEED_CTX = 0x5bd1e995;

function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Final avalanche (murmur3 fmix32) so that nearby FNV states land in unrelated buckets. */
function mix(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function wordFeatures(tokens: string[], spec: FeatureSpec, out: number[]): void {
  if (spec.wordMax < 1) return;
  let prev = 0;
  for (let i = 0; i < tokens.length; i++) {
    const h = hashString(tokens[i] as string, SEED_WORD);
    out.push(mix(h));
    if (spec.wordMax >= 2 && i > 0) out.push(mix(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x1234567));
    prev = h;
  }
}

function charFeatures(text: string, spec: FeatureSpec, out: number[]): void {
  const { charMin, charMax } = spec;
  if (charMax < 1) return;
  for (let i = 0; i < text.length; i++) {
    let h = SEED_CHAR;
    const end = Math.min(text.length, i + charMax);
    for (let j = i; j < end; j++) {
      h = Math.imul(h ^ text.charCodeAt(j), FNV_PRIME);
      if (j - i + 1 >= charMin) out.push(mix(h + j - i));
    }
  }
}

function pushGroup(ids: number[], from: number, weight: number, idx: number[], val: number[]): void {
  for (let i = from; i < ids.length; i++) {
    idx.push(ids[i] as number);
    val.push(weight);
  }
}

/**
 * Turns a text into a sparse vector. Each group (words, characters, context) is scaled to unit L2 norm
 * (as if every n-gram were distinct) so that long and short texts score on one scale.
 */
export function featurize(text: string, lang: string | null | undefined, spec: FeatureSpec): SparseVector {
  const normalized = normalizeText(text);
  const tokens = tokenize(normalized);
  const ids: number[] = [];
  const idx: number[] = [];
  const val: number[] = [];
  wordFeatures(tokens, spec, ids);
  if (spec.langWords) {
    const salt = mix(hashString(lang ?? '?', SEED_CTX));
    const n = ids.length;
    for (let i = 0; i < n; i++) ids.push(mix((ids[i] as number) ^ salt));
  }
  pushGroup(ids, 0, 1 / Math.sqrt(Math.max(1, ids.length)), idx, val);
  const wordCount = ids.length;
  charFeatures(` ${tokens.join(' ')} `, spec, ids);
  pushGroup(ids, wordCount, 1 / Math.sqrt(Math.max(1, ids.length - wordCount)), idx, val);
  if (spec.context) {
    idx.push(mix(hashString(`lang=${lang ?? '?'}`, SEED_CTX)));
    val.push(1);
    if (spec.lengthBucket) {
      idx.push(mix(hashString(`len=${lang ?? '?'}:${Math.round(Math.log2(1 + tokens.length))}`, SEED_CTX)));
      val.push(1);
    }
    for (const handle of handlesOf(text).slice(0, 4)) {
      idx.push(mix(hashString(handle, SEED_CTX)));
      val.push(0.5);
    }
  }
  return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
}
