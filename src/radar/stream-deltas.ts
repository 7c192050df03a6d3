/**
 * Which streams a batch of stored mentions counts towards, and how much per bucket.
 * Every mention counts once per brand it matched: in the brand's volume stream, in its negative stream when
 * the sentiment model called it negative, and in one topic stream per topic.
 */
import type { StreamKind } from './radar.schema.ts';
import { bucketOf } from './stream-advance.ts';

export interface StreamKey {
  brandId: number;
  kind: StreamKind;
  topic: string;
}

export interface StreamDelta {
  key: StreamKey;
  /** Bucket start → mentions. */
  counts: Map<number, number>;
}

const keyId = (brandId: number, kind: StreamKind, topic: string): string => `${brandId}|${kind}|${topic}`;
export const streamKeyId = (k: StreamKey): string => keyId(k.brandId, k.kind, k.topic);

/** What counting needs of a stored mention (a `Mention` has it). */
export interface CountedMention {
  publishedAt: number;
  brandIds: readonly number[];
  sentiment: { label: string } | null;
  topics: readonly string[];
}

/**
 * The deltas of some mentions, added up over as many calls to `add` as there are batches (an import's transaction
 * counts all its batches at once).
 */
export class DeltaCollector {
  private readonly byKey = new Map<string, StreamDelta>();

  add(mentions: readonly CountedMention[], now: number): void {
    for (const m of mentions) this.addOne(m.publishedAt, m.brandIds, m.sentiment?.label, m.topics, now);
  }

  /** @param now a mention dated in the future (clock skew at the source) counts in the current bucket. */
  addOne(publishedAt: number, brandIds: readonly number[], sentiment: string | null | undefined, topics: readonly string[], now: number): void {
    const bucket = bucketOf(Math.min(publishedAt, now));
    for (const brandId of brandIds) {
      this.count(brandId, 'volume', '', bucket);
      if (sentiment === 'negative') this.count(brandId, 'negative', '', bucket);
      // A topic listed twice counts once.
      for (let i = 0; i < topics.length; i++) if (topics.indexOf(topics[i]!) === i) this.count(brandId, 'topic', topics[i]!, bucket);
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  deltas(): StreamDelta[] {
    return [...this.byKey.values()];
  }

  private count(brandId: number, kind: StreamKind, topic: string, bucket: number): void {
    const k = keyId(brandId, kind, topic);
    let d = this.byKey.get(k);
    if (!d) this.byKey.set(k, (d = { key: { brandId, kind, topic }, counts: new Map() }));
    d.counts.set(bucket, (d.counts.get(bucket) ?? 0) + 1);
  }
}

/** Adds `more` into `into` (same stream keys merge: counts add up). */
export function mergeDeltas(into: Map<string, StreamDelta>, more: readonly StreamDelta[]): void {
  for (const d of more) {
    const k = streamKeyId(d.key);
    const have = into.get(k);
    if (!have) {
      into.set(k, { key: d.key, counts: new Map(d.counts) });
      continue;
    }
    for (const [bucket, n] of d.counts) have.counts.set(bucket, (have.counts.get(bucket) ?? 0) + n);
  }
}
