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
  /** Word n-grams up to this length (1 = unigrams, 2 = uni + bigrams, 3 = + trigrams; 0 = none). */
  wordMax: number;
  /** Add the language code and brand handles as features. */
  context: boolean;
  /** Add the language crossed with a text-length bucket (tells tweets from long posts). */
  lengthBucket?: boolean;
  /** Also emit every word feature crossed with the language, so each language can adjust shared weights. */
  langWords?: boolean;
  /**
   * Add the language crossed with the kind of handles the text has (none, anonymised "@user", brand
   * handles): lets the model keep separate priors for, say, German feedback posts and German tweets.
   */
  handleKind?: boolean;
  /**
   * Also emit the words after a negation ("not", "nicht", "no", "pas", "non", "não" …, up to three words, until
   * "!"/"?" or an emoji) as negated unigrams, so "not good" and "good" need not share a weight.
   */
  negation?: boolean;
}

export const DEFAULT_FEATURES: FeatureSpec = { charMin: 2, charMax: 5, wordMax: 2, context: true };

/** A sparse vector: hash `idx[i]` holds value `val[i]`; hashes may repeat (their values add up). */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
  /** Position of the language feature in `idx`, or -1 (see `setLanguage`). */
  langAt?: number;
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

/** Growable scratch buffers: featurisation writes here, then copies out exactly what it wrote. */
let scratchIdx = new Int32Array(4096);
let scratchVal = new Float32Array(4096);

function ensureCapacity(n: number): void {
  if (n <= scratchIdx.length) return;
  const size = 2 ** Math.ceil(Math.log2(n));
  scratchIdx = new Int32Array(size);
  scratchVal = new Float32Array(size);
}

/** Negation words of the bundled languages (normalised: lower case, straight apostrophes). */
const NEGATORS = new Set([
  'not', 'no', 'never', 'nobody', 'nothing', 'nor', 'cannot', "can't", "don't", "doesn't", "didn't", "won't", "isn't", "wasn't", "aren't", "couldn't", "wouldn't", "haven't", "hasn't", 'without',
  'nicht', 'kein', 'keine', 'keinen', 'keinem', 'keiner', 'nie', 'niemals', 'nichts', 'ohne',
  'nunca', 'ni', 'jamás', 'nada', 'sin', 'tampoco', 'ne', 'pas', 'jamais', 'rien', 'sans', 'non', 'mai', 'niente', 'senza', 'não', 'nao', 'nem', 'sem',
]);
const NEGATION_SCOPE = 3;
const SEED_NEG = 0x6b43a9b5;

/** Writes word uni/bigram hashes (and negated unigrams when the spec asks) from position `at`; returns the new end. */
function wordFeatures(tokens: readonly string[], spec: FeatureSpec, at: number): number {
  if (spec.wordMax < 1) return at;
  let prev = 0;
  let prev2 = 0;
  let negated = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const h = hashString(token, SEED_WORD);
    scratchIdx[at++] = mix(h);
    if (spec.wordMax >= 2 && i > 0) scratchIdx[at++] = mix(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x1234567);
    if (spec.wordMax >= 3 && i > 1) scratchIdx[at++] = mix(Math.imul(Math.imul(prev2, 0x85ebca77) ^ prev, 0x9e3779b1) ^ h ^ 0x2545f491);
    prev2 = prev;
    prev = h;
    if (!spec.negation) continue;
    if (NEGATORS.has(token)) negated = NEGATION_SCOPE;
    else if (negated > 0) {
      const c = token.charCodeAt(0);
      // "!"/"?" and emoji end the scope; other tokens inside it get a negated twin.
      if (c === 33 || c === 63 || c > 0xd7ff) negated = 0;
      else {
        scratchIdx[at++] = mix(h ^ SEED_NEG);
        negated--;
      }
    }
  }
  return at;
}

/** Writes character n-gram hashes of `text` from position `at`; returns the new end. */
function charFeatures(text: string, spec: FeatureSpec, at: number): number {
  const { charMin, charMax } = spec;
  if (charMax < 1) return at;
  for (let i = 0; i < text.length; i++) {
    let h = SEED_CHAR;
    const end = Math.min(text.length, i + charMax);
    for (let j = i; j < end; j++) {
      h = Math.imul(h ^ text.charCodeAt(j), FNV_PRIME);
      if (j - i + 1 >= charMin) scratchIdx[at++] = mix(h + j - i);
    }
  }
  return at;
}

function fillValue(from: number, to: number, value: number): void {
  scratchVal.fill(value, from, to);
}

/**
 * Turns a text into a sparse vector. Each group (words, characters, context) is scaled to unit L2 norm
 * (as if every n-gram were distinct) so that long and short texts score on one scale.
 */
export function featurize(text: string, lang: string | null | undefined, spec: FeatureSpec): SparseVector {
  return featurizeTokens(tokenize(normalizeText(text)), text, lang, spec);
}

/**
 * `featurize` for a text already tokenised with `tokenize(normalizeText(text))`. With `into`, the result
 * is written into that vector's buffers when they are large enough (views of them are returned), which
 * spares the allocation; the caller must then be done with the previous contents.
 */
export function featurizeTokens(
  tokens: readonly string[], text: string, lang: string | null | undefined, spec: FeatureSpec, into?: SparseVector,
): SparseVector {
  const joined = ` ${tokens.join(' ')} `;
  ensureCapacity(joined.length * Math.max(0, spec.charMax - spec.charMin + 1) + tokens.length * 8 + 16);
  let n = wordFeatures(tokens, spec, 0);
  if (spec.langWords) n = crossWithLanguage(n, lang);
  fillValue(0, n, 1 / Math.sqrt(Math.max(1, n)));
  const words = n;
  n = charFeatures(joined, spec, n);
  fillValue(words, n, 1 / Math.sqrt(Math.max(1, n - words)));
  const langAt = spec.context ? n : -1;
  if (spec.context) n = contextFeatures(tokens, text, lang, spec, n);
  if (into && into.idx.buffer.byteLength >= n * 4) {
    const idx = new Int32Array(into.idx.buffer, 0, n);
    const val = new Float32Array(into.val.buffer, 0, n);
    idx.set(scratchIdx.subarray(0, n));
    val.set(scratchVal.subarray(0, n));
    return { idx, val, langAt };
  }
  return { idx: scratchIdx.slice(0, n), val: scratchVal.slice(0, n), langAt };
}

const languageHashes = new Map<string, number>();

/** Hash of the language feature `lang=<code>` (the same for every spec). */
export function languageHash(lang: string | null | undefined): number {
  const key = lang ?? '?';
  let h = languageHashes.get(key);
  if (h === undefined) languageHashes.set(key, (h = mix(hashString(`lang=${key}`, SEED_CTX))));
  return h;
}

/**
 * Turns, in place, the vector of a text under one language into `featurize(text, lang, spec)` without
 * featurising again. Returns false (and changes nothing) when the spec mixes the language into other features.
 */
export function setLanguage(x: SparseVector, lang: string | null | undefined, spec: FeatureSpec): boolean {
  if (spec.langWords || spec.lengthBucket || spec.handleKind || x.langAt === undefined || x.langAt < 0) return false;
  x.idx[x.langAt] = languageHash(lang);
  return true;
}

function crossWithLanguage(n: number, lang: string | null | undefined): number {
  const salt = mix(hashString(lang ?? '?', SEED_CTX));
  for (let i = 0; i < n; i++) scratchIdx[n + i] = mix((scratchIdx[i] as number) ^ salt);
  return 2 * n;
}

function contextFeatures(tokens: readonly string[], text: string, lang: string | null | undefined, spec: FeatureSpec, at: number): number {
  scratchIdx[at] = languageHash(lang);
  scratchVal[at++] = 1;
  if (spec.lengthBucket) {
    scratchIdx[at] = mix(hashString(`len=${lang ?? '?'}:${Math.round(Math.log2(1 + tokens.length))}`, SEED_CTX));
    scratchVal[at++] = 1;
  }
  const handles = text.includes('@') ? handlesOf(text).slice(0, 4) : [];
  for (const handle of handles) {
    scratchIdx[at] = mix(hashString(handle, SEED_CTX));
    scratchVal[at++] = 0.5;
  }
  if (spec.handleKind) {
    const kind = handles.length === 0 ? 'none' : handles.every((h) => h === '@user') ? 'user' : 'brand';
    scratchIdx[at] = mix(hashString(`handles=${lang ?? '?'}:${kind}`, SEED_CTX));
    scratchVal[at++] = 1;
  }
  return at;
}
