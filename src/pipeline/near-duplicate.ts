/**
 * Near-duplicate key: retweets ("RT @user: …"), quote-less cross-posts and copies that differ only in
 * links, handles, case, accents or punctuation get the same key. Texts too short to be distinctive get
 * none, so that "thank you!" from two people is not called a duplicate.
 */
import crypto from 'node:crypto';
import { codeUnitReader, unitAt } from '../lib/code-units.ts';

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

/** Code units of the text being scanned (lib/code-units.ts: why not `charCodeAt`). */
const unitsOf = codeUnitReader();

/** Whether the text has the characters of `ascii` at `j`. */
function hasAt(u: Uint16Array, n: number, j: number, ascii: string): boolean {
  if (j + ascii.length > n) return false;
  for (let k = 0; k < ascii.length; k++) if (u[j + k] !== ascii.charCodeAt(k)) return false;
  return true;
}

/** Where the link starting at `i` ("http://" or "https://" and at least one non-space) ends, or -1. */
function linkEnd(u: Uint16Array, n: number, i: number): number {
  if (u[i] !== 104 || !hasAt(u, n, i, 'http')) return -1;
  let j = i + 4;
  if (unitAt(u, n, j) === 115) j++;
  if (!hasAt(u, n, j, '://')) return -1;
  j += 3;
  if (j >= n || isSpace(u[j] as number)) return -1;
  while (j < n && !isSpace(u[j] as number)) j++;
  return j;
}

/** Length of a leading "rt @user:" (with the white space around it), or 0. */
function retweetPrefix(u: Uint16Array, n: number): number {
  if (!(hasAt(u, n, 0, 'rt') || hasAt(u, n, 0, 'mt')) || !isSpace(unitAt(u, n, 2))) return 0;
  let j = 3;
  while (isSpace(unitAt(u, n, j))) j++;
  if (unitAt(u, n, j) !== 64 || !isHandleChar(unitAt(u, n, j + 1))) return 0;
  j += 2;
  while (isHandleChar(unitAt(u, n, j))) j++;
  if (unitAt(u, n, j) === 58) j++;
  while (isSpace(unitAt(u, n, j))) j++;
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
  const u = unitsOf(s);
  if (scratch.length < n) scratch = Buffer.alloc(2 * n);
  const out = scratch;
  const start = retweetPrefix(u, n);
  let len = 0;
  let i = start;
  while (i < n) {
    const c = u[i] as number;
    const link = c === 104 ? linkEnd(u, n, i) : -1;
    if (link >= 0) {
      i = link;
    } else if (c === 64 && (i === start || isSpace(u[i - 1] as number)) && isHandleChar(unitAt(u, n, i + 1)) && linkEnd(u, n, i + 1) < 0) {
      i += 2;
      for (let h = unitAt(u, n, i); i < n && isHandleChar(h) && (h !== 104 || linkEnd(u, n, i) < 0); h = unitAt(u, n, ++i));
    } else if (isAlnum(c)) {
      if (len > 0) out[len++] = 32;
      out[len++] = c;
      for (let a = unitAt(u, n, ++i); i < n && isAlnum(a) && (a !== 104 || linkEnd(u, n, i) < 0); a = unitAt(u, n, ++i)) out[len++] = a;
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
