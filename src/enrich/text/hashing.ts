/**
 * The string hashes of the feature spaces (features.ts, lexicon-features.ts): FNV-1a from a seed, and the murmur3
 * finaliser that spreads FNV states over the buckets. Changing either changes every model's features.
 */
export const FNV_PRIME = 0x01000193;
/** Seed of word hashes (`PreparedTokens.wordHashes`); lexicon entries are hashed with it to be looked up by them. */
export const SEED_WORD = 0x811c9dc5;

export function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Final avalanche (murmur3 fmix32) so that nearby FNV states land in unrelated buckets. */
export function mix(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
