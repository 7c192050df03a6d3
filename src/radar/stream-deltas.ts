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
  /** Ids of the counted mentions, newest bucket last (for explanations). */
  mentionIds: number[];
}

export const streamKeyId = (k: StreamKey): string => `${k.brandId}|${k.kind}|${k.topic}`;

/** What counting needs of a stored mention (a `Mention` has it). */
export interface CountedMention {
  id: number;
  publishedAt: number;
  brandIds: readonly number[];
  sentiment: { label: string } | null;
  topics: readonly string[];
}

/**
 * @param now mentions dated in the future (clock skew at the source) count in the current bucket.
 */
export function collectDeltas(mentions: readonly CountedMention[], now: number): StreamDelta[] {
  const out = new Map<string, StreamDelta>();
  const add = (key: StreamKey, bucket: number, id: number) => {
    const k = streamKeyId(key);
    let d = out.get(k);
    if (!d) out.set(k, (d = { key, counts: new Map(), mentionIds: [] }));
    d.counts.set(bucket, (d.counts.get(bucket) ?? 0) + 1);
    d.mentionIds.push(id);
  };
  for (const m of mentions) {
    const bucket = bucketOf(Math.min(m.publishedAt, now));
    const negative = m.sentiment?.label === 'negative';
    for (const brandId of m.brandIds) {
      add({ brandId, kind: 'volume', topic: '' }, bucket, m.id);
      if (negative) add({ brandId, kind: 'negative', topic: '' }, bucket, m.id);
      for (const topic of new Set(m.topics)) add({ brandId, kind: 'topic', topic }, bucket, m.id);
    }
  }
  return [...out.values()];
}

/** Adds `more` into `into` (same stream keys merge: counts add up, mention ids are appended). */
export function mergeDeltas(into: Map<string, StreamDelta>, more: readonly StreamDelta[]): void {
  for (const d of more) {
    const k = streamKeyId(d.key);
    const have = into.get(k);
    if (!have) {
      into.set(k, { key: d.key, counts: new Map(d.counts), mentionIds: [...d.mentionIds] });
      continue;
    }
    for (const [bucket, n] of d.counts) have.counts.set(bucket, (have.counts.get(bucket) ?? 0) + n);
    have.mentionIds.push(...d.mentionIds);
  }
}
