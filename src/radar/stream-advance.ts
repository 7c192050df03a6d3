/**
 * Advancing one stream: the pure core of the radar's bookkeeping.
 *
 * A stream counts mentions per 5-minute bucket. Buckets stay open for a grace period after they end
 * (`GRACE_MS`: a polled source delivers a mention minutes after it was posted), then they are closed in
 * order — each one's final count is fed to the detector, and empty buckets are fed as zeros — so the detector
 * sees every bucket exactly once. The open buckets are scored on a copy of the detector, as if they closed
 * now, so a surge is caught within seconds while its bucket is still filling. Mentions for buckets already
 * closed only correct the chart: history is not re-scored.
 */
import { COUNT_RADAR_CONFIG, RadarDetector } from './detectors/radar.detector.ts';
import type { RadarExplanation, RadarState } from './detectors/radar.detector.ts';
import { bandOf, type Band } from './stream-band.ts';

export const BUCKET_MS = 5 * 60_000;
/** At most this many empty buckets are fed after a silence (two weeks); older ones are skipped. */
export const MAX_GAP_BUCKETS = 14 * 288;

export const bucketOf = (t: number): number => Math.floor(t / BUCKET_MS) * BUCKET_MS;

/** How long after its end a bucket waits for late mentions before it is closed. */
export const GRACE_MS = 15 * 60_000;

/** The first bucket that may not be closed yet at `now`. */
export const watermarkOf = (now: number): number => bucketOf(now - GRACE_MS);

/** One scored bucket. */
export interface StreamPoint {
  bucket: number;
  n: number;
  score: number;
  band: Band | null;
  /** Why the score was what it was (component surprises in alert units). */
  why: RadarExplanation;
  closed: boolean;
}

export interface Advance {
  /** The first bucket not yet closed after this advance (0: the stream has had no mention yet). */
  openBucket: number;
  /** Buckets closed by this advance, in order (the detector learned them). */
  closed: StreamPoint[];
  /** The buckets still open, scored provisionally, in order. */
  open: StreamPoint[];
}

export function newDetector(state: RadarState | null): RadarDetector {
  return state ? RadarDetector.fromJSON(state, COUNT_RADAR_CONFIG) : new RadarDetector(COUNT_RADAR_CONFIG);
}

/**
 * Closes the buckets before `watermark` and scores the rest.
 * @param openBucket the stream's first unclosed bucket (0 before its first mention).
 * @param pending counts of every unclosed bucket (≥ openBucket), including this round's mentions.
 * `detector` learns every closed bucket (it is the stream's, mutated in place).
 */
export function advanceStream(detector: RadarDetector, openBucket: number, pending: ReadonlyMap<number, number>, watermark: number): Advance {
  const buckets = [...pending.keys()].sort((a, b) => a - b);
  let open = openBucket || (buckets[0] ?? 0);
  const closed: StreamPoint[] = [];
  if (open !== 0 && watermark > open) {
    const skipTo = watermark - MAX_GAP_BUCKETS * BUCKET_MS;
    for (let b = open; b < watermark; b += BUCKET_MS) {
      const n = pending.get(b) ?? 0;
      if (b < skipTo && n === 0) continue;
      closed.push(feed(detector, b, n));
    }
    open = watermark;
  }
  const stillOpen = buckets.filter((b) => b >= open);
  return { openBucket: open, closed, open: scoreOpen(detector, open, stillOpen, pending) };
}

function feed(detector: RadarDetector, bucket: number, n: number): StreamPoint {
  const band = bandOf(detector.snapshot(), bucket);
  const score = detector.update(bucket, n);
  return { bucket, n, score, band, why: { ...detector.last }, closed: true };
}

/**
 * Scores the open buckets on a copy of the detector, as if each closed now (earlier open ones first, zeros
 * for the empty ones). Nothing is scored when no open bucket is above its expected value — that cannot be a
 * surge — or while the detector warms up (no band yet, no alert possible): the copy costs about 1–5 updates (bench/detector.bench.ts).
 */
function scoreOpen(detector: RadarDetector, open: number, buckets: number[], pending: ReadonlyMap<number, number>): StreamPoint[] {
  const state = detector.snapshot();
  const quiet = { extremity: 0, seasonal: 0, novelty: 0, volatility: 0 };
  const points = buckets.map((b) => ({ bucket: b, n: pending.get(b) ?? 0, score: 0, band: bandOf(state, b), why: quiet, closed: false }));
  if (!points.some((p) => p.band && p.n > p.band.expected)) return points;
  const copy = RadarDetector.fromJSON(state, COUNT_RADAR_CONFIG);
  let b = open;
  for (const p of points) {
    for (; b < p.bucket; b += BUCKET_MS) copy.update(b, 0);
    p.score = copy.update(p.bucket, p.n);
    p.why = { ...copy.last };
    b = p.bucket + BUCKET_MS;
  }
  return points;
}
