import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { advanceStream, BUCKET_MS, GRACE_MS, newDetector, watermarkOf } from './stream-advance.ts';
import { DeltaCollector } from './stream-deltas.ts';
import type { Mention } from '../mentions/mention.ts';

const T = Date.UTC(2026, 0, 5);

describe('advanceStream', () => {
  it('closes buckets the watermark has passed, in order, feeding empty ones as zeros', () => {
    const d = newDetector(null);
    const pending = new Map([[T, 3], [T + 3 * BUCKET_MS, 2], [T + 10 * BUCKET_MS, 1]]);
    const adv = advanceStream(d, 0, pending, T + 5 * BUCKET_MS);
    assert.deepEqual(adv.closed.map((p) => [(p.bucket - T) / BUCKET_MS, p.n]), [[0, 3], [1, 0], [2, 0], [3, 2], [4, 0]]);
    assert.equal(adv.openBucket, T + 5 * BUCKET_MS);
    assert.deepEqual(adv.open.map((p) => [(p.bucket - T) / BUCKET_MS, p.n, p.closed]), [[10, 1, false]]);
    assert.equal(d.snapshot().n, 5);
  });

  it('keeps a bucket open for the grace period after it ends', () => {
    assert.equal(watermarkOf(T + BUCKET_MS + GRACE_MS - 1), T);
    assert.equal(watermarkOf(T + BUCKET_MS + GRACE_MS), T + BUCKET_MS);
  });

  it('scores open buckets on a copy: the detector itself learns nothing until they close', () => {
    const d = newDetector(null);
    const week = new Map<number, number>();
    for (let i = 0; i < 600; i++) week.set(T + i * BUCKET_MS, 2 + (i % 3));
    advanceStream(d, 0, week, T + 600 * BUCKET_MS);
    const before = JSON.stringify(d.snapshot());
    const adv = advanceStream(d, T + 600 * BUCKET_MS, new Map([[T + 600 * BUCKET_MS, 60]]), T + 600 * BUCKET_MS);
    assert.ok(adv.open[0]!.score >= 0.5, `surge scores ${adv.open[0]!.score}`);
    assert.ok(adv.open[0]!.band && adv.open[0]!.band.hi < 60 && adv.open[0]!.band.expected >= 2 && adv.open[0]!.band.expected <= 4.5, JSON.stringify(adv.open[0]!.band));
    assert.equal(JSON.stringify(d.snapshot()), before);
  });
});

describe('DeltaCollector', () => {
  const m = (id: number, at: number, label: string, topics: string[], brandIds: number[]) => ({ id, publishedAt: at, sentiment: { label, score: 0.9 }, topics, brandIds }) as unknown as Mention;
  const byStream = (c: DeltaCollector) => Object.fromEntries(c.deltas().map((d) => [`${d.key.brandId}/${d.key.kind}/${d.key.topic}`, [...d.counts]]));

  it('counts a mention once per brand in volume, negative and each topic stream; future times count now', () => {
    const c = new DeltaCollector();
    c.add([m(1, T + 1000, 'negative', ['delays', 'delays'], [7, 8]), m(2, T + 10 * BUCKET_MS, 'positive', [], [7])], T + BUCKET_MS);
    assert.deepEqual(byStream(c), {
      '7/volume/': [[T, 1], [T + BUCKET_MS, 1]], '7/negative/': [[T, 1]], '7/topic/delays': [[T, 1]],
      '8/volume/': [[T, 1]], '8/negative/': [[T, 1]], '8/topic/delays': [[T, 1]],
    });
  });

  it('adds up the batches of one transaction, each with its own clock', () => {
    const c = new DeltaCollector();
    c.add([m(1, T + 1000, 'neutral', [], [7])], T + BUCKET_MS);
    c.add([m(2, T + 2000, 'negative', ['delays'], [7]), m(3, T + 3 * BUCKET_MS, 'neutral', [], [7])], T + 2 * BUCKET_MS);
    assert.equal(c.size, 3);
    assert.deepEqual(byStream(c), { '7/volume/': [[T, 2], [T + 2 * BUCKET_MS, 1]], '7/negative/': [[T, 1]], '7/topic/delays': [[T, 1]] });
  });
});
