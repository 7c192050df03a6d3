/**
 * Advancing one stream: the pure core of the radar's bookkeeping.
 *
 * A stream counts mentions per 5-minute bucket. The bucket holding the newest mention is "open"; when a
 * mention (or the clock) reaches a later bucket the open one is closed — its final count is fed to the
 * detector — and the buckets in between are fed as zeros, in order, so the detector sees every bucket
 * exactly once. The open bucket is also scored, on a copy of the detector, so a surge is caught while its
 * bucket is still filling. Mentions for buckets already closed only correct the chart: history is not
 * re-scored.
 */
import { COUNT_RADAR_CONFIG, RadarDetector } from './detectors/radar.detector.ts';
import type { RadarExplanation, RadarState } from './detectors/radar.detector.ts';
import { bandOf, type Band } from './stream-band.ts';

export const BUCKET_MS = 5 * 60_000;
/** At most this many empty buckets are fed after a silence (two weeks); older ones are skipped. */
export const MAX_GAP_BUCKETS = 14 * 288;

export const bucketOf = (t: number): number => Math.floor(t / BUCKET_MS) * BUCKET_MS;

/** Where a stream stands: its open bucket and count (the detector state lives with the detector). */
export interface OpenBucket {
  openBucket: number;
  openCount: number;
}

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
  open: OpenBucket;
  /** Buckets closed by this advance, in order (the detector learned them). */
  closed: StreamPoint[];
  /** The open bucket, scored provisionally (null when the stream has never had a mention). */
  openPoint: StreamPoint | null;
  /** Counts for buckets that were already closed (late mentions), by bucket. */
  late: Map<number, number>;
}

export function newDetector(state: RadarState | null): RadarDetector {
  return state ? RadarDetector.fromJSON(state, COUNT_RADAR_CONFIG) : new RadarDetector(COUNT_RADAR_CONFIG);
}

/**
 * The detector's live state, read without the deep copy `toJSON` makes (a copy costs ~40 updates). Read-only
 * use: bands and persistence. A stop-gap until the detector offers such an accessor itself.
 */
export function peekState(detector: RadarDetector): RadarState {
  return (detector as unknown as { state: RadarState }).state;
}

/**
 * Applies counts (bucket → mentions, any order) and moves the stream up to `nowBucket` at least.
 * `detector` learns every closed bucket (it is the stream's, mutated in place); `open` is not modified.
 */
export function advanceStream(detector: RadarDetector, open: OpenBucket, counts: ReadonlyMap<number, number>, nowBucket: number): Advance {
  const run: Run = { detector, open: open.openBucket, count: open.openCount, closed: [] };
  const late = new Map<number, number>();
  for (const [bucket, n] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (run.open === 0) [run.open, run.count] = [bucket, 0];
    if (bucket < run.open) late.set(bucket, (late.get(bucket) ?? 0) + n);
    else {
      closeUntil(run, bucket);
      run.count += n;
    }
  }
  if (run.open !== 0) closeUntil(run, Math.max(nowBucket, run.open));
  const openPoint = run.open === 0 ? null : scoreOpen(detector, run.open, run.count);
  return { open: { openBucket: run.open, openCount: run.count }, closed: run.closed, openPoint, late };
}

interface Run {
  detector: RadarDetector;
  open: number;
  count: number;
  closed: StreamPoint[];
}

/** Closes the open bucket and every empty one before `bucket`, which becomes the open bucket. */
function closeUntil(run: Run, bucket: number): void {
  if (bucket <= run.open) return;
  feed(run, run.open, run.count);
  let next = run.open + BUCKET_MS;
  const skipTo = bucket - MAX_GAP_BUCKETS * BUCKET_MS;
  if (next < skipTo) next = skipTo;
  for (; next < bucket; next += BUCKET_MS) feed(run, next, 0);
  [run.open, run.count] = [bucket, 0];
}

function feed(run: Run, bucket: number, n: number): void {
  const band = bandOf(peekState(run.detector), bucket);
  const score = run.detector.update(bucket, n);
  run.closed.push({ bucket, n, score, band, why: { ...run.detector.last }, closed: true });
}

/**
 * Scores the open bucket on a copy of the detector (the real one learns a bucket only once it is closed).
 * A count at or below the expected value cannot be a surge, and no score can alert while the detector warms
 * up (no band yet), so neither is scored (the copy costs as much as ~40 updates).
 */
function scoreOpen(detector: RadarDetector, bucket: number, n: number): StreamPoint {
  const state = peekState(detector);
  const band = bandOf(state, bucket);
  const quiet = { extremity: 0, seasonal: 0, novelty: 0 };
  if (n === 0 || !band || n <= band.expected) return { bucket, n, score: 0, band, why: quiet, closed: false };
  const copy = RadarDetector.fromJSON(state, COUNT_RADAR_CONFIG);
  const score = copy.update(bucket, n);
  return { bucket, n, score, band, why: { ...copy.last }, closed: false };
}
