/**
 * One tokenisation and one featurisation per text, however many models look at it: a memo of the last
 * text's tokens and of its vector per feature spec (and language). Used by the enrichers of one chain,
 * which run one after the other on the same text.
 */
import { featurizePrepared, prepareTokens, setLanguage, type FeatureSpec, type PreparedTokens, type SparseVector } from './text/features.ts';
import { normalizeText, tokenize } from './text/normalize.ts';

export interface FeatureMemo {
  /** `tokenize(normalizeText(text))`, computed once per text. */
  tokens(text: string): readonly string[];
  /** `featurize(text, lang, spec)`, computed once per text and spec; valid until the next call. */
  vector(spec: FeatureSpec, text: string, lang: string | null | undefined): SparseVector;
}

export function createFeatureMemo(): FeatureMemo {
  // Keyed by the spec's content: models loaded from different files share vectors when their specs agree.
  const keys = new WeakMap<FeatureSpec, string>();
  let last = { text: '', tokens: [] as readonly string[] };
  const vectors = new Map<string, { text: string; lang: string | null | undefined; x: SparseVector }>();
  // The joined code units and word hashes of the last text, shared by every spec (buffers reused).
  let prepared: PreparedTokens | undefined;
  const tokens = (text: string): readonly string[] => {
    if (last.text !== text) last = { text, tokens: tokenize(normalizeText(text)) };
    return last.tokens;
  };
  const prepare = (text: string): PreparedTokens => {
    const t = tokens(text);
    if (prepared?.tokens !== t) prepared = prepareTokens(t, prepared);
    return prepared;
  };
  const vector = (spec: FeatureSpec, text: string, lang: string | null | undefined): SparseVector => {
    let key = keys.get(spec);
    if (key === undefined) keys.set(spec, (key = JSON.stringify(spec)));
    const hit = vectors.get(key);
    if (hit && hit.text === text) {
      if (hit.lang === lang) return hit.x;
      // The same text under another language: swap the language feature instead of featurising again.
      // In place: a vector from the memo is only valid until the next call, as documented above.
      if (setLanguage(hit.x, lang, spec)) {
        hit.lang = lang;
        return hit.x;
      }
    }
    // Reuses the previous text's buffers: a memo vector is only valid until the next text anyway.
    const x = featurizePrepared(prepare(text), text, lang, spec, hit?.x);
    if (hit && hit.x.idx.buffer === x.idx.buffer) {
      hit.text = text;
      hit.lang = lang;
      hit.x = x;
    } else {
      vectors.set(key, { text, lang, x: growable(x) });
    }
    return x;
  };
  return { tokens, vector };
}

/** A copy of `x` whose buffers have room for long texts, so that later texts can reuse them. */
function growable(x: SparseVector): SparseVector {
  const n = x.idx.length;
  const capacity = Math.max(2048, 2 * n);
  const idx = new Int32Array(capacity);
  const val = new Float32Array(capacity);
  idx.set(x.idx);
  val.set(x.val);
  return { idx: idx.subarray(0, n), val: val.subarray(0, n), langAt: x.langAt };
}

/** Letters of a script the fast language model was trained on: Latin, Arabic, Devanagari. */
function knownScript(c: number): boolean {
  return c < 0x250 || (c >= 0x600 && c <= 0x6ff) || (c >= 0x900 && c <= 0x97f);
}

/**
 * Whether the fast language model may decide on these tokens: at least three letters outside links and
 * handles (as language.enricher.ts asks before guessing), and every word in a script it was trained on.
 */
export function fastLanguageApplies(tokens: readonly string[]): boolean {
  let letters = 0;
  for (const t of tokens) {
    const c = t.charCodeAt(0);
    // Word tokens start with a letter or '#'; placeholders with '<'; the rest are punctuation, emoji, emoticons.
    if (c === 35) letters += t.length - 1;
    else if ((c >= 97 && c <= 122) || (c > 0xbf && (c < 0xd800 || c > 0xdfff))) {
      if (!knownScript(c) || (t.length > 1 && !knownScript(t.charCodeAt(t.length - 1)))) return false;
      letters += t.length;
    }
  }
  return letters >= 3;
}
