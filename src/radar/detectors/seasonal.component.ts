/**
 * Seasonal surprise: is the stream unusual for this time of day (or of week)?
 *
 * The detector learns a daily and a weekly profile of the stream and the typical gap between the stream
 * (lightly smoothed) and each profile. A profile only gets a say once it explains the stream clearly
 * better than a flat line does — a stream without rhythm has nothing to be "unusual for the hour" about.
 *
 * Why: a missing evening peak, or a Sunday that looks like a Monday, stays inside the stream's range and
 * moves slowly, so neither range breakouts nor next-point forecasts see it; the same time yesterday does.
 */
import { DAY_MS, WEEK_MS } from './detector.ts';
import { alphaFromHalfLife, ewma } from './online-stats.ts';
import { createProfile, profileAt, updateProfile } from './seasonal-profile.ts';
import type { SeasonalProfileState } from './seasonal-profile.ts';

export interface SeasonalConfig {
  /** Half-life, in periods, of the profiles. */
  profileHalfLifePeriods: number;
  /** Half-life, in points, of the smoothing of the residual (noise vs. sustained deviation). */
  residualHalfLife: number;
  /** Half-life, in points, of the typical residual and of the stream's overall spread. */
  scaleHalfLife: number;
  /** Minimum share of the flat spread a profile must explain to be trusted (0..1). */
  minStrength: number;
  /** Full periods that must have been seen before a profile is used. */
  minPeriods: number;
}

export interface SeasonalState {
  n: number;
  firstT: number;
  /** Typical sampling interval in ms (EWMA). */
  dt: number;
  lastT: number;
  mean: number;
  /** Mean absolute deviation of the stream around its mean: the "flat line" error. */
  spread: number;
  profiles: SeasonalProfileState[];
  /** Per profile: smoothed residual and its mean absolute value. */
  residual: number[];
  scale: number[];
  /** Per profile: points scored so far (its scale is a plain mean while this is small). */
  scored: number[];
}

export function createSeasonalState(): SeasonalState {
  return {
    n: 0, firstT: 0, dt: 0, lastT: 0, mean: 0, spread: 0,
    profiles: [createProfile(DAY_MS, 96), createProfile(WEEK_MS, 168)],
    residual: [0, 0], scale: [0, 0], scored: [0, 0],
  };
}

/**
 * Scores `x` at time `t` against the profiles learned before it, then learns it.
 * @returns the smoothed residual of the best trusted profile in units of its typical size (0 if none).
 */
export function observeSeasonal(s: SeasonalState, cfg: SeasonalConfig, t: number, x: number): number {
  if (s.n === 0) [s.firstT, s.mean] = [t, x];
  else s.dt = s.n === 1 ? t - s.lastT : ewma(s.dt, t - s.lastT, 0.01);
  const aScale = Math.max(alphaFromHalfLife(cfg.scaleHalfLife), 1 / (s.n + 1));
  s.spread = ewma(s.spread, Math.abs(x - s.mean), aScale);
  s.mean = ewma(s.mean, x, aScale);
  let best = 0;
  let bestScale = Infinity;
  for (let i = 0; i < s.profiles.length; i++) {
    const p = s.profiles[i]!;
    const expected = t - s.firstT >= cfg.minPeriods * p.periodMs ? profileAt(p, t) : null;
    if (expected !== null) {
      const r = ewma(s.residual[i]!, x - expected, alphaFromHalfLife(cfg.residualHalfLife));
      const trusted = s.scored[i]! >= 50 && s.scale[i]! > 0 && s.scale[i]! < (1 - cfg.minStrength) * s.spread;
      // A gap of 1% of the stream's spread is never news, however regular the stream (a perfect sine).
      const unit = Math.max(s.scale[i]!, 0.01 * s.spread);
      if (trusted && s.scale[i]! < bestScale) [best, bestScale] = [Math.abs(r) / unit, s.scale[i]!];
      const rate = Math.max(alphaFromHalfLife(cfg.scaleHalfLife), 1 / (s.scored[i]! + 1));
      const capped = s.scored[i] ? Math.min(Math.abs(r), 6 * s.scale[i]!) : Math.abs(r);
      s.scale[i] = ewma(s.scale[i]!, capped, rate);
      s.scored[i] = s.scored[i]! + 1;
      s.residual[i] = r;
    }
    const slotMs = p.periodMs / p.slots.length;
    const perVisit = s.dt > 0 ? Math.min(1, s.dt / slotMs) : 1;
    updateProfile(p, t, x, alphaFromHalfLife(cfg.profileHalfLifePeriods) * perVisit);
  }
  s.lastT = t;
  s.n++;
  return best;
}
