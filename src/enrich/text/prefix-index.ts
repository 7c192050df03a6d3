/**
 * Prefix cues ("refund*", "verspät*") indexed by their first three code units, looked up for a token
 * without slicing it: the token's first three code units pick a bucket (a hash, so a bucket may hold
 * unrelated prefixes too), and the caller keeps the entries whose prefix the token starts with.
 */
const BUCKETS = 4096;

function bucketOf(s: string): number {
  return (Math.imul(s.charCodeAt(0), 961) + Math.imul(s.charCodeAt(1), 31) + s.charCodeAt(2)) & (BUCKETS - 1);
}

export interface PrefixIndex<T> {
  /** Adds an entry under a prefix of three or more code units; shorter prefixes can never match a lookup. */
  add(prefix: string, entry: T): void;
  /** Entries, in the order added, whose prefix may start `token` (token.length ≥ 3); check with startsWith. */
  candidates(token: string): readonly T[];
}

const NONE: readonly never[] = [];

export function createPrefixIndex<T>(): PrefixIndex<T> {
  const buckets: (T[] | undefined)[] = new Array<T[] | undefined>(BUCKETS).fill(undefined);
  return {
    add(prefix, entry) {
      if (prefix.length < 3) return;
      const b = bucketOf(prefix);
      (buckets[b] ??= []).push(entry);
    },
    candidates(token) {
      return buckets[bucketOf(token)] ?? NONE;
    },
  };
}
