/**
 * Near-duplicate key: retweets ("RT @user: …"), quote-less cross-posts and copies that differ only in
 * links, handles, case, accents or punctuation get the same key. Texts too short to be distinctive get
 * none, so that "thank you!" from two people is not called a duplicate.
 */
import crypto from 'node:crypto';

const MIN_DISTINCT_CHARS = 24;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The canonical form the key is hashed from: accents and case folded, a leading "RT @user:" dropped, links and
 * handles (at the start or after white space) removed, every run of other non-letters/digits one space.
 */
export function canonicalText(text: string): string {
  return ASCII.test(text) ? scratch.toString('latin1', 0, canonicalAscii(text.toLowerCase())) : canonicalUnicode(text);
}

/** The canonical form of text that is not plain ASCII: accents decomposed and dropped, then the patterns. */
export const canonicalUnicode = (text: string): string => canonicalByPatterns(text.normalize('NFKD').replace(/\p{M}/gu, ''));

/** The definition, as regular expressions (any script). */
export function canonicalByPatterns(text: string): string {
  return text
    .toLowerCase()
    .replace(/^(rt|mt)\s+@[\p{L}\p{N}_]+:?\s*/u, '')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/(^|\s)@[\p{L}\p{N}_]+/gu, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// Character classes of lower-cased ASCII text, as the patterns above see it.
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isHandleChar = (c: number): boolean => isAlnum(c) || c === 95;

/** Where the link starting at `i` ("http://" or "https://" and at least one non-space) ends, or -1. */
function linkEnd(s: string, i: number): number {
  if (s.charCodeAt(i) !== 104 || !s.startsWith('http', i)) return -1;
  let j = i + 4;
  if (s.charCodeAt(j) === 115) j++;
  if (!s.startsWith('://', j)) return -1;
  j += 3;
  if (j >= s.length || isSpace(s.charCodeAt(j))) return -1;
  while (j < s.length && !isSpace(s.charCodeAt(j))) j++;
  return j;
}

/** Length of a leading "rt @user:" (with the white space around it), or 0. */
function retweetPrefix(s: string): number {
  if (!(s.startsWith('rt') || s.startsWith('mt')) || !isSpace(s.charCodeAt(2))) return 0;
  let j = 3;
  while (isSpace(s.charCodeAt(j))) j++;
  if (s.charCodeAt(j) !== 64 || !isHandleChar(s.charCodeAt(j + 1))) return 0;
  j += 2;
  while (isHandleChar(s.charCodeAt(j))) j++;
  if (s.charCodeAt(j) === 58) j++;
  while (isSpace(s.charCodeAt(j))) j++;
  return j;
}

/** Where the one-scan form writes its bytes (grown as needed). */
let scratch = Buffer.alloc(1024);

/**
 * `canonicalByPatterns` for lower-cased ASCII text in one scan, written to `scratch` (the patterns cost most of
 * the key's time); returns its length. Links are removed before handles there, so a link also ends a handle or
 * word it starts inside of.
 */
function canonicalAscii(s: string): number {
  const n = s.length;
  if (scratch.length < n) scratch = Buffer.alloc(2 * n);
  const out = scratch;
  const start = retweetPrefix(s);
  let len = 0;
  let i = start;
  while (i < n) {
    const c = s.charCodeAt(i);
    const link = c === 104 ? linkEnd(s, i) : -1;
    if (link >= 0) {
      i = link;
    } else if (c === 64 && (i === start || isSpace(s.charCodeAt(i - 1))) && isHandleChar(s.charCodeAt(i + 1)) && linkEnd(s, i + 1) < 0) {
      i += 2;
      for (let h = s.charCodeAt(i); i < n && isHandleChar(h) && (h !== 104 || linkEnd(s, i) < 0); h = s.charCodeAt(++i));
    } else if (isAlnum(c)) {
      if (len > 0) out[len++] = 32;
      out[len++] = c;
      for (let a = s.charCodeAt(++i); i < n && isAlnum(a) && (a !== 104 || linkEnd(s, i) < 0); a = s.charCodeAt(++i)) out[len++] = a;
    } else {
      i++;
    }
  }
  return len;
}

/** @returns a 16-hex-digit key, or null when the text is too short to be a meaningful duplicate. */
export function nearDuplicateKey(text: string): string | null {
  if (!ASCII.test(text)) {
    const canonical = canonicalUnicode(text);
    return canonical.length < MIN_DISTINCT_CHARS ? null : sha1Key(canonical);
  }
  const len = canonicalAscii(text.toLowerCase());
  return len < MIN_DISTINCT_CHARS ? null : sha1Key(scratch.subarray(0, len));
}

const sha1Key = (data: string | Buffer): string => crypto.hash('sha1', data).slice(0, 16);
