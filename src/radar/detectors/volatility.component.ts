/**
 * Volatility: is the stream, over the last tens of points, far more agitated than it has ever been?
 *
 * The component watches the size of the point-to-point change, |x(t) − x(t−1)|, capped at a few typical
 * changes and averaged at a few longer time scales, and asks the extremity question of it: does that average
 * break out of the range it has covered so far (see `extremity.component.ts`, whose machinery it reuses)?
 * Only upward breakouts count.
 *
 * Why: some incidents never leave the stream's range — a metric that starts to flap between its usual low
 * and high, bursts of activity in a normally sparse stream, a flood of small spikes — so neither the range
 * of the values nor the hour's profile sees them; the range of the changes does. The cap and averaging over
 * 9 points or more keep a single spike (which extremity already covers) from counting as agitation.
 */
import type { DeepReadonly } from './detector.ts';
import { copyExtremityState, createExtremityState, observeExtremity } from './extremity.component.ts';
import type { ExtremityConfig, ExtremityState } from './extremity.component.ts';

/** The extremity settings applied to the stream of changes (use `direction: 'up'` and scales ≥ 9), and… */
export interface VolatilityConfig extends ExtremityConfig {
  /** …the most one change may count, in typical (median) changes: agitation is many large changes, and
   *  without a cap one outlier lifts a 9-point average of plain noise to a new record. */
  clip: number;
}

export interface VolatilityState {
  /** Points seen. */
  n: number;
  /** The previous value. */
  prev: number;
  /** Running median of |Δx| and the mean |Δx| that sets its step (see `trackMedian`). */
  median: number;
  meanChange: number;
  /** Extremity of |Δx| (clipped). */
  changes: ExtremityState;
}

export function createVolatilityState(cfg: VolatilityConfig): VolatilityState {
  return { n: 0, prev: 0, median: 0, meanChange: 0, changes: createExtremityState(cfg) };
}

/** A deep copy of `s` (what `structuredClone` gives, much faster; unknown keys are kept). */
export function copyVolatilityState(s: DeepReadonly<VolatilityState>): VolatilityState {
  return { ...s, changes: copyExtremityState(s.changes) };
}

/**
 * Scores the change from the previous point to `x` against the range of changes learned before it, then
 * learns it. @returns the largest breakout over the scales, in fractions of that range (0 within it).
 */
export function observeVolatility(s: VolatilityState, cfg: VolatilityConfig, x: number): number {
  const first = s.n === 0;
  const change = first ? 0 : Math.abs(x - s.prev);
  s.prev = x;
  s.n++;
  // The first point has no change yet: the range of changes starts with the second.
  if (first) return 0;
  const clipped = s.n > 2 && s.median > 0 ? Math.min(change, cfg.clip * s.median) : change;
  trackMedian(s, change);
  return observeExtremity(s.changes, cfg, clipped);
}

/** Median of |Δx| by small signed steps (2 % of the mean change): the typical change the cap is measured in. */
function trackMedian(s: VolatilityState, d: number): void {
  const k = s.n - 1;
  s.meanChange = k === 1 ? d : s.meanChange + Math.max(0.01, 1 / k) * (d - s.meanChange);
  s.median = k === 1 ? d : Math.max(0, s.median + 0.02 * s.meanChange * Math.sign(d - s.median));
}
