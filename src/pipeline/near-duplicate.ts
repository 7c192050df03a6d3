/**
 * Near-duplicate key: retweets ("RT @user: …"), quote-less cross-posts and copies that differ only in
 * links, handles, case, accents or punctuation get the same key. Texts too short to be distinctive get
 * none, so that "thank you!" from two people is not called a duplicate.
 */
import crypto from 'node:crypto';

const MIN_DISTINCT_CHARS = 24;

export function canonicalText(text: string): string {
  // ASCII text has nothing to decompose and no combining marks: skip both steps (a third of the time).
  const folded = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD').replace(/\p{M}/gu, '');
  return folded
    .toLowerCase()
    .replace(/^(rt|mt)\s+@[\p{L}\p{N}_]+:?\s*/u, '')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/(^|\s)@[\p{L}\p{N}_]+/gu, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** @returns a 16-hex-digit key, or null when the text is too short to be a meaningful duplicate. */
export function nearDuplicateKey(text: string): string | null {
  const canonical = canonicalText(text);
  if (canonical.length < MIN_DISTINCT_CHARS) return null;
  return crypto.createHash('sha1').update(canonical).digest('hex').slice(0, 16);
}
