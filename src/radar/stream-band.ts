/**
 * The expected value and band of a mention-count stream at a bucket, read from its detector state: what
 * the radar page draws behind the counts and what an alert's "observed vs expected" quotes.
 *
 * - expected: the stream's daily profile at that time of day (its running mean until the profile has
 *   seen that hour), in counts;
 * - lo … hi: the range the stream has covered at the 1-bucket scale; `hi` includes the noise floor and the
 *   breakout that, alone, makes the detector alert — above `hi` is "more than this brand has had lately".
 * Null while the detector is still warming up (no band is better than a made-up one).
 */
import { COUNT_RADAR_CONFIG } from './detectors/radar.detector.ts';
import type { DeepReadonly } from './detectors/detector.ts';
import type { RadarConfig, RadarState } from './detectors/radar.detector.ts';
import { profileAt } from './detectors/seasonal-profile.ts';

export interface Band {
  expected: number;
  lo: number;
  hi: number;
}

/** Inverse of the Anscombe transform the count preset applies (2·√(x + 3/8)). */
export function fromAnscombe(y: number): number {
  return Math.max(0, (y / 2) ** 2 - 0.375);
}

/** @param state the detector state after the previous bucket; @param t the bucket's start. */
export function bandOf(state: DeepReadonly<RadarState> | null, t: number, cfg: RadarConfig = COUNT_RADAR_CONFIG): Band | null {
  if (!state || state.n < cfg.warmupPoints) return null;
  const ex = state.extremity;
  const hi0 = ex?.hi?.[0];
  const lo0 = ex?.lo?.[0];
  if (hi0 === undefined || lo0 === undefined) return null;
  const hiY = hi0 + cfg.extremity.noiseFloor * ex.jitter + cfg.extremityAlert * (hi0 - lo0);
  const daily = state.seasonal?.profiles?.[0];
  const profiled = daily ? profileAt(daily, t) : null;
  const toCount = cfg.counts ? fromAnscombe : (y: number) => Math.max(0, y);
  const lo = toCount(lo0);
  const hi = toCount(hiY);
  const expected = Math.min(hi, Math.max(lo, toCount(profiled ?? state.seasonal?.mean ?? lo0)));
  return { expected: round2(expected), lo: round2(lo), hi: round2(hi) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
