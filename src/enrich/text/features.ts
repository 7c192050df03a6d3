/**
 * Hashed feature extraction: word uni- and bigrams, character n-grams, brand handles and the language,
 * each hashed to 32 bits. A model folds the hashes into its own `2^bits` buckets, so models that share a
 * `FeatureSpec` share one vector and a text is featurised once however many models look at it.
 */
import { LEXICON_FEATURES_PER_TOKEN, NEGATORS, writeLexiconFeatures, type LexiconScale } from './lexicon-features.ts';
import { FNV_PRIME, hashString, mix, SEED_WORD } from './hashing.ts';
import { handlesOf, normalizeText, tokenize } from './normalize.ts';
import { codeUnitReader } from '../../lib/code-units.ts';

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
  /**
   * Append sentiment-lexicon features (lexicon-features.ts) after the other groups, each valued this number
   * or, with `norm`, the group at unit L2 norm (the committed sentiment and relevance space).
   */
  lexicon?: LexiconScale;
}

export const DEFAULT_FEATURES: FeatureSpec = { charMin: 2, charMax: 5, wordMax: 2, context: true };

/** A sparse vector: hash `idx[i]` holds value `val[i]`; hashes may repeat (their values add up). */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
  /** Position of the language feature in `idx`, or -1 (see `setLanguage`). */
  langAt?: number;
}

const SEED_CHAR = 0x2f6b1a3d;
const SEED_CTX = 0x5bd1e995;

/** Growable scratch buffers: featurisation writes here, then copies out exactly what it wrote. */
let scratchIdx = new Int32Array(4096);
let scratchVal = new Float32Array(4096);

function ensureCapacity(n: number): void {
  if (n <= scratchIdx.length) return;
  const size = 2 ** Math.ceil(Math.log2(n));
  scratchIdx = new Int32Array(size);
  scratchVal = new Float32Array(size);
}

/**
 * A tokenised text prepared for featurisation under any spec: the code units of `" " + tokens.join(" ") + " "`
 * (the string character n-grams are taken from) and the word hash of each token. Build it once with
 * `prepareTokens` when several specs featurise one text.
 */
export interface PreparedTokens {
  tokens: readonly string[];
  /** Code units of the joined text; `length` of them are in use. */
  codes: Uint16Array;
  length: number;
  /** `hashString(tokens[i], SEED_WORD)`. */
  wordHashes: Int32Array;
  /** The first four handles of `handlesOf`, once a spec with context has asked for them. */
  handles?: readonly string[];
  handlesOf?: string;
  /**
   * Character n-grams of one length `gramLength` (0: none yet; unset: not kept), kept for the next spec with that charMin:
   * `gramStates[i]` is the FNV state after the n-gram at position i, `gramHashes[i]` its feature hash.
   */
  gramLength?: number;
  gramStates?: Int32Array;
  gramHashes?: Int32Array;
}

/** Code units of the joined tokens (lib/code-units.ts: why not `charCodeAt`). */
const unitsOf = codeUnitReader();

/** Joins the tokens as code units and hashes each token. `reuse` lends its buffers. */
export function prepareTokens(tokens: readonly string[], reuse?: PreparedTokens): PreparedTokens {
  const joined = tokens.length === 0 ? '  ' : ` ${tokens.join(' ')} `;
  const length = joined.length;
  const codes = reuse && reuse.codes.length >= length ? reuse.codes : new Uint16Array(Math.max(1024, 2 * length));
  const wordHashes = reuse && reuse.wordHashes.length >= tokens.length ? reuse.wordHashes : new Int32Array(Math.max(256, 2 * tokens.length));
  codes.set(unitsOf(joined).subarray(0, length));
  // Token t's code units follow the space after token t - 1.
  let at = 1;
  for (let t = 0; t < tokens.length; t++) {
    const end = at + (tokens[t] as string).length;
    let h = SEED_WORD;
    for (; at < end; at++) h = Math.imul(h ^ (codes[at] as number), FNV_PRIME);
    wordHashes[t] = h;
    at++;
  }
  if (!reuse) return { tokens, codes, length, wordHashes };
  reuse.tokens = tokens;
  reuse.codes = codes;
  reuse.length = length;
  reuse.wordHashes = wordHashes;
  reuse.handles = undefined;
  reuse.gramLength = 0;
  return reuse;
}

const NEGATION_SCOPE = 3;
const SEED_NEG = 0x6b43a9b5;

/** Writes word uni/bigram hashes (and negated unigrams when the spec asks) from position `at`; returns the new end. */
function wordFeatures(p: PreparedTokens, spec: FeatureSpec, at: number): number {
  if (spec.wordMax < 1) return at;
  const { tokens, wordHashes } = p;
  const idx = scratchIdx;
  let prev = 0;
  let prev2 = 0;
  let negated = 0;
  for (let i = 0; i < tokens.length; i++) {
    const h = wordHashes[i] as number;
    idx[at++] = mix(h);
    if (spec.wordMax >= 2 && i > 0) idx[at++] = mix(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x1234567);
    if (spec.wordMax >= 3 && i > 1) idx[at++] = mix(Math.imul(Math.imul(prev2, 0x85ebca77) ^ prev, 0x9e3779b1) ^ h ^ 0x2545f491);
    prev2 = prev;
    prev = h;
    if (spec.negation) [at, negated] = negationFeature(tokens[i] as string, h, negated, at);
  }
  return at;
}

function negationFeature(token: string, h: number, negated: number, at: number): [number, number] {
  if (NEGATORS.has(token)) return [at, NEGATION_SCOPE];
  if (negated <= 0) return [at, negated];
  const c = token.charCodeAt(0);
  // "!"/"?" and emoji end the scope; other tokens inside it get a negated twin.
  if (c === 33 || c === 63 || c > 0xd7ff) return [at, 0];
  scratchIdx[at] = mix(h ^ SEED_NEG);
  return [at + 1, negated - 1];
}

/** Writes character n-gram hashes of the joined text from position `at`; returns the new end. */
function charFeatures(p: PreparedTokens, spec: FeatureSpec, at: number): number {
  const { charMin, charMax } = spec;
  if (charMax < 1) return at;
  // Only on reused (memo) preparations, whose buffers outlive the call: gramLength 0 there.
  if (p.gramLength === 0 && charMin >= 1 && charMin <= charMax) keepGrams(p, charMin);
  if (p.gramLength === charMin) return charFeaturesFromGrams(p, spec, at);
  const { codes, length } = p;
  const idx = scratchIdx;
  // From each position where an n-gram fits: hash the first charMin - 1 code units, then emit one hash per length.
  for (let i = 0; i + charMin <= length; i++) {
    let h = SEED_CHAR;
    let j = i;
    for (; j < i + charMin - 1; j++) h = Math.imul(h ^ (codes[j] as number), FNV_PRIME);
    const end = Math.min(length, i + charMax);
    for (; j < end; j++) {
      h = Math.imul(h ^ (codes[j] as number), FNV_PRIME);
      // (h + n - 1) | 0: the int32 that mix() makes of the sum anyway; keeps the arithmetic in integers.
      idx[at++] = mix((h + j - i) | 0);
    }
  }
  return at;
}

/** Hashes the n-grams of length n at every position and keeps them on `p` (several specs start at n). */
function keepGrams(p: PreparedTokens, n: number): void {
  const { codes, length } = p;
  if (!p.gramStates || p.gramStates.length < length) {
    p.gramStates = new Int32Array(Math.max(1024, 2 * length));
    p.gramHashes = new Int32Array(Math.max(1024, 2 * length));
  }
  const states = p.gramStates;
  const hashes = p.gramHashes as Int32Array;
  for (let i = 0; i + n <= length; i++) {
    let h = SEED_CHAR;
    for (let j = i; j < i + n; j++) h = Math.imul(h ^ (codes[j] as number), FNV_PRIME);
    states[i] = h;
    hashes[i] = mix((h + n - 1) | 0);
  }
  p.gramLength = n;
}

/** `charFeatures` for a spec whose charMin n-grams are kept on `p`: longer n-grams continue from their states. */
function charFeaturesFromGrams(p: PreparedTokens, spec: FeatureSpec, at: number): number {
  const { charMin, charMax } = spec;
  const { codes, length } = p;
  const states = p.gramStates as Int32Array;
  const hashes = p.gramHashes as Int32Array;
  const idx = scratchIdx;
  for (let i = 0; i + charMin <= length; i++) {
    idx[at++] = hashes[i] as number;
    let h = states[i] as number;
    const end = Math.min(length, i + charMax);
    for (let j = i + charMin; j < end; j++) {
      h = Math.imul(h ^ (codes[j] as number), FNV_PRIME);
      idx[at++] = mix((h + j - i) | 0);
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
  return featurizePrepared(prepareTokens(tokens), text, lang, spec, into);
}

/** `featurizeTokens` for tokens prepared with `prepareTokens` (shared by the specs of one text). */
export function featurizePrepared(
  p: PreparedTokens, text: string, lang: string | null | undefined, spec: FeatureSpec, into?: SparseVector,
): SparseVector {
  const { tokens } = p;
  const lexiconRoom = spec.lexicon ? tokens.length * LEXICON_FEATURES_PER_TOKEN + 1 : 0;
  ensureCapacity(p.length * Math.max(0, spec.charMax - spec.charMin + 1) + tokens.length * 8 + 16 + lexiconRoom);
  let n = wordFeatures(p, spec, 0);
  if (spec.langWords) n = crossWithLanguage(n, lang);
  fillValue(0, n, 1 / Math.sqrt(Math.max(1, n)));
  const words = n;
  n = charFeatures(p, spec, n);
  fillValue(words, n, 1 / Math.sqrt(Math.max(1, n - words)));
  const langAt = spec.context ? n : -1;
  if (spec.context) n = contextFeatures(p, text, lang, spec, n);
  if (spec.lexicon) n = writeLexiconFeatures(p.wordHashes, tokens.length, lang, spec.lexicon, { idx: scratchIdx, val: scratchVal }, n);
  if (into && into.idx.buffer.byteLength >= n * 4 && into.val.buffer.byteLength >= n * 4) {
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
  if (spec.langWords || spec.lengthBucket || spec.handleKind || spec.lexicon || x.langAt === undefined || x.langAt < 0) return false;
  x.idx[x.langAt] = languageHash(lang);
  return true;
}

function crossWithLanguage(n: number, lang: string | null | undefined): number {
  const salt = mix(hashString(lang ?? '?', SEED_CTX));
  for (let i = 0; i < n; i++) scratchIdx[n + i] = mix((scratchIdx[i] as number) ^ salt);
  return 2 * n;
}

/** `handles=<lang>:<kind>` hashes, per language: [none, user, brand]. */
const handleKindHashes = new Map<string, Int32Array>();

function handleKindHash(lang: string | null | undefined, kind: 0 | 1 | 2): number {
  const key = lang ?? '?';
  let hashes = handleKindHashes.get(key);
  if (hashes === undefined) {
    hashes = Int32Array.from(['none', 'user', 'brand'], (k) => mix(hashString(`handles=${key}:${k}`, SEED_CTX)));
    handleKindHashes.set(key, hashes);
  }
  return hashes[kind] as number;
}

const NO_HANDLES: readonly string[] = [];

/** The first four handles of the text (see `handlesOf`), remembered on `p` for the next spec. */
function handlesFor(p: PreparedTokens, text: string): readonly string[] {
  if (p.handlesOf !== text || p.handles === undefined) {
    p.handles = text.includes('@') ? handlesOf(text).slice(0, 4) : NO_HANDLES;
    p.handlesOf = text;
  }
  return p.handles;
}

function contextFeatures(p: PreparedTokens, text: string, lang: string | null | undefined, spec: FeatureSpec, at: number): number {
  scratchIdx[at] = languageHash(lang);
  scratchVal[at++] = 1;
  if (spec.lengthBucket) {
    scratchIdx[at] = mix(hashString(`len=${lang ?? '?'}:${Math.round(Math.log2(1 + p.tokens.length))}`, SEED_CTX));
    scratchVal[at++] = 1;
  }
  const handles = handlesFor(p, text);
  for (const handle of handles) {
    scratchIdx[at] = mix(hashString(handle, SEED_CTX));
    scratchVal[at++] = 0.5;
  }
  if (spec.handleKind) {
    const kind = handles.length === 0 ? 0 : handles.every((h) => h === '@user') ? 1 : 2;
    scratchIdx[at] = handleKindHash(lang, kind);
    scratchVal[at++] = 1;
  }
  return at;
}
