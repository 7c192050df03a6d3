/**
 * Extremity: is the stream, at some time scale, outside the range it has covered so far?
 *
 * For each time scale k the stream is smoothed (an average of its last k points) and the detector tracks
 * the highest and lowest smoothed value seen, slowly forgetting old extremes. The surprise is how far the
 * smoothed value breaks out of that range, as a fraction of the range's width.
 *
 * Why: a crisis is a volume the brand has never had (or not for weeks); one spike breaks the range at
 * scale 1, a sustained rise breaks it at a longer scale before any single bucket does. The range is the
 * stream's own yardstick, so seasonality and noise that stay within it never alert, and a slow growth
 * breaks it only by tiny fractions.
 */
import type { DeepReadonly } from './detector.ts';
import { cachedLast } from './online-stats.ts';

export interface ExtremityConfig {
  /** Time scales, in points, of the averages watched. */
  scales: number[];
  /** The range is the one of the history before the last `lag` points, so a gradual slide into new
   *  territory is measured from where it started rather than step by small step. */
  lag: number;
  /** Half-life, in points, with which an old extreme fades back towards the middle of the range. */
  forgetHalfLife: number;
  /** How far (0..1) the range moves towards a value outside it once the stream has warmed up: below 1, a
   *  short burst barely widens the range (so a second incident still stands out) while a lasting shift is
   *  absorbed within a few dozen points. */
  expandRate: number;
  /** Points during which the range simply grows to cover everything (expandRate 1). */
  learnPoints: number;
  /** A breakout must also exceed this many typical point-to-point changes (scaled by 1/√k at scale k):
   *  in a noisy stream a new record by a hair is noise, however narrow the range. */
  noiseFloor: number;
  /** Which breakouts matter: up only (volume surges), or both ways (metrics that may also drop). */
  direction: 'up' | 'both';
}

export interface ExtremityState {
  n: number;
  last: number;
  /** Running median of |x(t) − x(t−1)|: a noise level that neither the daily rhythm nor spikes inflate. */
  jitter: number;
  /** Mean of |x(t) − x(t−1)| (EWMA): only sets the step of the median tracker. */
  meanStep: number;
  /** Per scale: the smoothed value (EWMA) and the extremes of the range. */
  smooth: number[];
  lo: number[];
  hi: number[];
  /** Index of the scale with the largest breakout at the last point (-1: none), for explanations. */
  lastScale: number;
  /** Per scale: the last `lag` smoothed values, not yet folded into the range (oldest first). */
  pending: number[][];
}

export function createExtremityState(cfg: ExtremityConfig): ExtremityState {
  const perScale = (): number[] => cfg.scales.map(() => 0);
  return { n: 0, last: 0, jitter: 0, meanStep: 0, lastScale: -1, smooth: perScale(), lo: perScale(), hi: perScale(), pending: cfg.scales.map(() => []) };
}

/** A deep copy of `s` (what `structuredClone` gives, much faster; unknown keys are kept). */
export function copyExtremityState(s: DeepReadonly<ExtremityState>): ExtremityState {
  return { ...s, smooth: s.smooth.slice(), lo: s.lo.slice(), hi: s.hi.slice(), pending: s.pending.map((p) => p.slice()) };
}

/**
 * Scores `x` against the ranges learned before it, then learns it.
 * @returns the largest breakout over the scales, in fractions of the range (0 within the range).
 */
export function observeExtremity(s: ExtremityState, cfg: ExtremityConfig, x: number): number {
  let surprise = 0;
  s.lastScale = -1;
  if (s.n > 0) trackJitter(s, Math.abs(x - s.last));
  s.last = x;
  const { scales, lag } = cfg;
  const both = cfg.direction === 'both';
  for (let i = 0; i < scales.length; i++) {
    const k = scales[i]!;
    const m = s.n === 0 ? x : s.smooth[i]! + (x - s.smooth[i]!) * Math.min(1, 2 / (k + 1));
    s.smooth[i] = m;
    const pending = s.pending[i]!;
    pending.push(m);
    if (s.n === 0) s.lo[i] = s.hi[i] = m;
    if (pending.length > lag) fold(s, cfg, i, pending.shift()!);
    const hi = s.hi[i]!;
    const lo = s.lo[i]!;
    const width = hi - lo;
    if (s.n < k + lag || !(width > 0)) continue;
    const floor = (cfg.noiseFloor * s.jitter) / Math.sqrt(k);
    const up = (m - hi - floor) / width;
    const breakout = both ? Math.max(up, (lo - m - floor) / width) : Math.max(up, 0);
    if (breakout > surprise) [surprise, s.lastScale] = [breakout, i];
  }
  s.n++;
  return surprise;
}

/**
 * Tracks the median of |Δx| by small signed steps (2 % of the mean change): it settles where half the
 * changes are larger, so spikes and the daily ramp barely move it, unlike a mean or a standard deviation.
 */
function trackJitter(s: ExtremityState, d: number): void {
  s.meanStep = s.n === 1 ? d : s.meanStep + Math.max(0.01, 1 / s.n) * (d - s.meanStep);
  s.jitter = s.n === 1 ? d : Math.max(0, s.jitter + 0.02 * s.meanStep * Math.sign(d - s.jitter));
}

/** Per point, how far an extreme fades towards the middle: 1 − 0.5^(1 / half-life). */
const forgetOf = cachedLast((halfLife) => 1 - Math.pow(0.5, 1 / halfLife));

function fold(s: ExtremityState, cfg: ExtremityConfig, i: number, m: number): void {
  const forget = forgetOf(cfg.forgetHalfLife);
  const expand = s.n < cfg.learnPoints ? 1 : cfg.expandRate;
  const hi = s.hi[i]!;
  const lo = s.lo[i]!;
  // Forget: both extremes drift towards the middle, so a range set by an old incident does not mask new ones.
  const mid = (hi + lo) / 2;
  s.hi[i] = m > hi ? hi + expand * (m - hi) : hi - forget * (hi - mid);
  s.lo[i] = m < lo ? lo - expand * (lo - m) : lo + forget * (mid - lo);
}
