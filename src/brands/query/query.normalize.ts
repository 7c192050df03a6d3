/**
 * Text normalization and tokenization shared by the query parser (to check that a term has
 * something to search for) and the matcher (to tokenize mention texts and query terms the same way).
 * Matching is case- and accent-insensitive: "Große Verspätung" and "grosse verspatung" are equal.
 */

const COMBINING_MARKS = /\p{M}/gu;
const URLS = /https?:\/\/\S*/g;
const APOSTROPHES = /[\u2018\u2019\u02bc\u2032]/g;
// Letters/digits, with apostrophes kept only between them ("don't", "customers'" → "customers").
const TOKEN = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
// The same for text that is plain ASCII after folding, and several times faster.
const ASCII_TOKEN = /[a-z0-9]+(?:'[a-z0-9]+)*/g;
// Texts made only of these characters need no Unicode normalization (the common case for English).
const PLAIN_ASCII = /^[\x20-\x7e\t\n\r]*$/;

/**
 * Folds `text` for comparison: NFKD, combining marks dropped, lower-cased, `ß` → `ss`, typographic
 * apostrophes → `'`. Idempotent.
 */
export function normalizeText(text: string): string {
  return PLAIN_ASCII.test(text) ? text.toLowerCase() : foldUnicode(text);
}

function foldUnicode(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(APOSTROPHES, "'");
}

/**
 * Splits `text` into normalized word tokens: runs of Unicode letters and digits, keeping apostrophes
 * inside words. Links (`http(s)://…`) are dropped whole; `@`, `#`, punctuation and emoji separate
 * tokens and are never tokens themselves, so "@United" yields `["united"]` and "T-Mobile" `["t", "mobile"]`.
 */
export function tokenize(text: string): string[] {
  const ascii = PLAIN_ASCII.test(text);
  const folded = ascii ? text.toLowerCase() : foldUnicode(text);
  const clean = folded.includes('http') ? folded.replace(URLS, ' ') : folded;
  return clean.match(ascii ? ASCII_TOKEN : TOKEN) ?? [];
}
