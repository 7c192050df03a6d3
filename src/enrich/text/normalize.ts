/**
 * Text normalisation shared by every Earshot model. Language-agnostic on purpose: the same rules serve
 * German, Spanish, English and the other UMSAB languages, and the language is given to the models as a
 * feature instead. Emoji and emoticons survive as their own tokens because they carry much of the sentiment
 * in tweets.
 *
 * The rules are the regular expressions below. Two of them run as hand-written scans over char codes
 * (squeezing elongations, tokenising), which give exactly what the expressions give (normalize.test.ts
 * checks both against the expressions) at a fraction of the cost: this runs for every mention.
 */
import { codeUnitReader, unitAt } from '../../lib/code-units.ts';

/** The HTML entities feeds leave in their text ("I &lt;3 it", "Q&amp;A"), decoded first. */
const HTML_ENTITY = /&(?:lt|gt|amp|quot|apos|#39);/g;
const ENTITY_TEXT: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'", '&#39;': "'" };
const URL = /(?:https?:\/\/|www\.)\S+/gu;
const HANDLE = /@[\p{L}\p{N}_]+/gu;
// Emoticons made of a digit, which the number rule would otherwise take: "<3", "</3", ":3" — but not
// "<30 min", "<3.5 h" or "10:30". Each becomes a placeholder.
const HEART = /<(\/?)3+(?![.,:]?\d)/g;
const CAT_FACE = /(?<![\d.,:]):3(?![.,:]?\d)/g;
const NUMBER = /\d+(?:[.,:]\d+)*/gu;
// Three or more repeats of one character ("soooo", "!!!!") are squeezed to two: "soo", "!!".
const CURLY_APOSTROPHE = /’/g;
/** The squeeze rule; `squeezeElongations` implements it. */
export const ELONGATION = /(.)\1{2,}/gu;
/**
 * The token rule; `tokenize` implements it. Alternatives, in order: words and hashtags, placeholders, runs
 * of "!"/"?", emoji, emoticons, "^^"/"^_^". Emoticons are matched on lower-cased text: eyes ":", ";" or "=",
 * an optional nose "-" or "'", and a mouth "(", ")", "*" or one or two of "d", "p", "o" (":D", ":-P", ":O",
 * ":DD") — a letter mouth only when no letter follows, so "re:open" stays two words.
 */
export const TOKEN = /#?[\p{L}\p{M}']+|<\w+>|[!?]+|\p{Extended_Pictographic}|[:;=][-']?(?:[()*]|(?:dd?|pp?|oo?)(?![\p{L}\p{M}']))|\^_?\^/gu;

/** Placeholders that replace volatile parts of a text, and the emoticons that contain a digit. */
export const PLACEHOLDER = { url: '<url>', user: '<user>', num: '<num>', heart: '<heart>', brokenHeart: '<broken_heart>', catFace: '<cat_face>' } as const;

/**
 * Decodes common HTML entities; lower-cases; replaces links, handles, numbers and the emoticons "<3", "</3"
 * and ":3" by placeholders; squeezes elongations.
 */
export function normalizeText(text: string): string {
  // Each replacement runs only when its pattern can match at all (a replace that finds nothing is a no-op).
  let s = text.includes('&') ? text.replace(HTML_ENTITY, (e) => ENTITY_TEXT[e] as string) : text;
  if (s.includes('://') || s.includes('www.')) s = s.replace(URL, ` ${PLACEHOLDER.url} `);
  if (s.includes('@')) s = s.replace(HANDLE, ` ${PLACEHOLDER.user} `);
  s = s.toLowerCase();
  if (s.includes('’')) s = s.replace(CURLY_APOSTROPHE, "'");
  if (s.includes('3')) s = replaceDigitEmoticons(s);
  return squeezeElongations(s.replace(NUMBER, ` ${PLACEHOLDER.num} `));
}

function replaceDigitEmoticons(s: string): string {
  let out = s.includes('<') ? s.replace(HEART, (_, slash: string) => ` ${slash === '' ? PLACEHOLDER.heart : PLACEHOLDER.brokenHeart} `) : s;
  if (out.includes(':3')) out = out.replace(CAT_FACE, ` ${PLACEHOLDER.catFace} `);
  return out;
}

/** Code units of the text being tokenised or squeezed (lib/code-units.ts: why not `charCodeAt`). */
const unitsOf = codeUnitReader();

/** Splits a normalised text into word, hashtag, emoji, emoticon, placeholder and `!`/`?` tokens. */
export function tokenize(normalized: string): string[] {
  const tokens: string[] = [];
  const n = normalized.length;
  const u = unitsOf(normalized);
  let i = 0;
  while (i < n) {
    const c = u[i] as number;
    // Fast paths for ASCII: characters no token starts with, and runs of ASCII letters.
    if (c < 0x80 && ASCII_KIND[c] === NOT_A_START) {
      i++;
      continue;
    }
    const end = c < 0x80 && ASCII_KIND[c] === LETTER ? wordRunEnd(u, n, asciiLettersEnd(u, n, i + 1)) : tokenEnd(u, n, i);
    if (end > i) {
      tokens.push(normalized.slice(i, end));
      i = end;
    } else {
      i += codePointAt(u, n, i) > 0xffff ? 2 : 1;
    }
  }
  return tokens;
}

const NOT_A_START = 0;
const LETTER = 1;
const OTHER_START = 2;
/** ASCII characters: letters and "'" (word characters), other characters a token may start with, the rest. */
const ASCII_KIND = Uint8Array.from({ length: 0x80 }, (_, c) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39 ? LETTER : '#<!?:;=^'.includes(String.fromCharCode(c)) ? OTHER_START : NOT_A_START);

/** End of the run of ASCII letters and "'" from `i` (of `n` code units `u`). */
function asciiLettersEnd(u: Uint16Array, n: number, i: number): number {
  let j = i;
  while (j < n) {
    const c = u[j] as number;
    if (c >= 0x80 || ASCII_KIND[c] !== LETTER) break;
    j++;
  }
  return j;
}

/** `codePointAt(i)` of the text: a surrogate pair's code point, else the code unit. */
function codePointAt(u: Uint16Array, n: number, i: number): number {
  const c = u[i] as number;
  if (c < 0xd800 || c > 0xdbff || i + 1 >= n) return c;
  const d = u[i + 1] as number;
  return d >= 0xdc00 && d <= 0xdfff ? ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000 : c;
}

/** Handles in a raw text, lower-cased ("@united"): brand handles tell a model which domain it is in. */
export function handlesOf(text: string): string[] {
  return (text.match(HANDLE) ?? []).map((h) => h.toLowerCase());
}

/** `s.replace(ELONGATION, '$1$1')`: runs of three or more of one code point (not a line break) become two. */
export function squeezeElongations(s: string): string {
  const n = s.length;
  const u = unitsOf(s);
  let out: string[] | undefined;
  let copied = 0;
  let i = firstCandidate(u, n);
  while (i < n) {
    const c = u[i] as number;
    let end = i + 1;
    let size = 1;
    if (c < 0xd800 || c > 0xdfff) {
      // One BMP code point: its run is a run of equal code units.
      while (end < n && u[end] === c) end++;
    } else {
      const cp = codePointAt(u, n, i);
      // A lone surrogate: leave such (broken) text to the expression itself.
      if (cp <= 0xffff) return s.replace(ELONGATION, '$1$1');
      size = 2;
      end = i + 2;
      while (end + 1 < n && u[end] === c && u[end + 1] === u[i + 1]) end += 2;
    }
    if (end - i >= 3 * size && !isLineTerminator(c)) {
      (out ??= []).push(s.slice(copied, i + 2 * size));
      copied = end;
    }
    i = end;
  }
  if (out === undefined) return s;
  out.push(s.slice(copied));
  return out.join('');
}

/**
 * Where squeezing may have to start: the first code unit that begins three equal ones or is a surrogate
 * (emoji, checked code point by code point from there). Before it, no run is three long, so the scan
 * can begin at a run boundary there. `n` when there is nothing to squeeze.
 */
function firstCandidate(u: Uint16Array, n: number): number {
  let prev = -1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const c = u[i] as number;
    if (c >= 0xd800 && c <= 0xdfff) return i - (c === prev ? count : 0);
    if (c === prev) {
      if (++count === 3) return i - 2;
    } else {
      prev = c;
      count = 1;
    }
  }
  return n;
}

function isLineTerminator(cp: number): boolean {
  return cp === 10 || cp === 13 || cp === 0x2028 || cp === 0x2029;
}

/** End of the TOKEN match starting at `i`, or `i` when none starts there (alternatives in the rule's order). */
function tokenEnd(u: Uint16Array, n: number, i: number): number {
  const c = u[i] as number;
  if (c === 35) {
    const end = wordRunEnd(u, n, i + 1);
    return end > i + 1 ? end : i;
  }
  const word = wordRunEnd(u, n, i);
  if (word > i) return word;
  if (c === 60) return placeholderEnd(u, n, i);
  if (c === 33 || c === 63) {
    let end = i + 1;
    while (end < n && (u[end] === 33 || u[end] === 63)) end++;
    return end;
  }
  if (c === 58 || c === 59 || c === 61) return emoticonEnd(u, n, i);
  if (c === 94) return caretFaceEnd(u, n, i);
  if (c < 0xa9) return i;
  const cp = codePointAt(u, n, i);
  return charClass(cp) & PICTOGRAPHIC ? i + (cp > 0xffff ? 2 : 1) : i;
}

/** `[\p{L}\p{M}']+` from `i`. */
function wordRunEnd(u: Uint16Array, n: number, i: number): number {
  let j = i;
  while (j < n) {
    const c = u[j] as number;
    if (c < 0x80) {
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39) j++;
      else break;
    } else {
      const cp = codePointAt(u, n, j);
      if (!(charClass(cp) & WORD)) break;
      j += cp > 0xffff ? 2 : 1;
    }
  }
  return j;
}

/** `<\w+>` at `i` (the text has a '<' there). */
function placeholderEnd(u: Uint16Array, n: number, i: number): number {
  let j = i + 1;
  while (j < n && isAsciiWordChar(u[j] as number)) j++;
  return j > i + 1 && unitAt(u, n, j) === 62 ? j + 1 : i;
}

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** The emoticon alternative of TOKEN at `i` (the text has one of ":;=" there). */
function emoticonEnd(u: Uint16Array, n: number, i: number): number {
  let j = i + 1;
  const nose = unitAt(u, n, j);
  if (nose === 45 || nose === 39) j++;
  const m = unitAt(u, n, j);
  if (m === 40 || m === 41 || m === 42) return j + 1;
  if (m !== 100 && m !== 112 && m !== 111) {
    // No mouth after the nose: the expression backtracks to a mouth in the nose's place, which it cannot be.
    return i;
  }
  const end = unitAt(u, n, j + 1) === m ? j + 2 : j + 1;
  // Backtracking from "dd" to "d" leaves a letter after it, so one check decides both.
  return wordRunEnd(u, n, end) === end ? end : i;
}

/** `\^_?\^` at `i` (the text has a '^' there). */
function caretFaceEnd(u: Uint16Array, n: number, i: number): number {
  const j = unitAt(u, n, i + 1) === 95 ? i + 2 : i + 1;
  return unitAt(u, n, j) === 94 ? j + 1 : i;
}

const WORD = 1;
const PICTOGRAPHIC = 2;
const KNOWN = 4;
const WORD_CHAR = /^[\p{L}\p{M}']$/u;
const PICTOGRAPHIC_CHAR = /^\p{Extended_Pictographic}$/u;
// Classes of code points, filled in from the expressions themselves on first sight of each code point.
const bmpClasses = new Uint8Array(0x10000);
const astralClasses = new Map<number, number>();

/** WORD | PICTOGRAPHIC bits of a code point, as the TOKEN rule's classes see it. */
function charClass(cp: number): number {
  let k = cp <= 0xffff ? (bmpClasses[cp] as number) : (astralClasses.get(cp) ?? 0);
  if (k !== 0) return k;
  const ch = String.fromCodePoint(cp);
  k = KNOWN | (WORD_CHAR.test(ch) ? WORD : 0) | (PICTOGRAPHIC_CHAR.test(ch) ? PICTOGRAPHIC : 0);
  if (cp <= 0xffff) bmpClasses[cp] = k;
  else astralClasses.set(cp, k);
  return k;
}
