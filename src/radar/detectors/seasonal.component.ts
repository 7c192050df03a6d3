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
import type { DeepReadonly } from './detector.ts';
import { alphaFromHalfLife, cachedLast, ewma } from './online-stats.ts';
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

/** A deep copy of `s` (what `structuredClone` gives, much faster; unknown keys are kept). */
export function copySeasonalState(s: DeepReadonly<SeasonalState>): SeasonalState {
  const profiles = s.profiles.map((p) => ({ ...p, slots: p.slots.slice(), seen: p.seen.slice() }));
  return { ...s, profiles, residual: s.residual.slice(), scale: s.scale.slice(), scored: s.scored.slice() };
}

/** Smoothing factors of the configured half-lives, one cache per half-life (see `cachedLast`). */
const scaleAlpha = cachedLast(alphaFromHalfLife);
const profileAlpha = cachedLast(alphaFromHalfLife);
const residualAlpha = cachedLast(alphaFromHalfLife);

/**
 * Scores `x` at time `t` against the profiles learned before it, then learns it.
 * @returns the smoothed residual of the best trusted profile in units of its typical size (0 if none).
 */
export function observeSeasonal(s: SeasonalState, cfg: SeasonalConfig, t: number, x: number): number {
  if (s.n === 0) [s.firstT, s.mean] = [t, x];
  else s.dt = s.n === 1 ? t - s.lastT : ewma(s.dt, t - s.lastT, 0.01);
  const aScale = Math.max(scaleAlpha(cfg.scaleHalfLife), 1 / (s.n + 1));
  s.spread = ewma(s.spread, Math.abs(x - s.mean), aScale);
  s.mean = ewma(s.mean, x, aScale);
  let best = 0;
  let bestScale = Infinity;
  for (let i = 0; i < s.profiles.length; i++) {
    const p = s.profiles[i]!;
    const expected = t - s.firstT >= cfg.minPeriods * p.periodMs ? profileAt(p, t) : null;
    if (expected !== null) {
      const scale = s.scale[i]!;
      const trusted = s.scored[i]! >= 50 && scale > 0 && scale < (1 - cfg.minStrength) * s.spread;
      const gap = scoreResidual(s, cfg, i, x - expected);
      if (trusted && scale < bestScale) [best, bestScale] = [gap, scale];
    }
    const slotMs = p.periodMs / p.slots.length;
    const perVisit = s.dt > 0 ? Math.min(1, s.dt / slotMs) : 1;
    updateProfile(p, t, x, profileAlpha(cfg.profileHalfLifePeriods) * perVisit);
  }
  s.lastT = t;
  s.n++;
  return best;
}

/**
 * Smooths profile i's residual, measures it against the typical residual, then learns that scale.
 * @returns the gap: the smoothed residual in typical residuals (the caller decides whether it is trusted).
 */
function scoreResidual(s: SeasonalState, cfg: SeasonalConfig, i: number, raw: number): number {
  const r = ewma(s.residual[i]!, raw, residualAlpha(cfg.residualHalfLife));
  const scale = s.scale[i]!;
  const scored = s.scored[i]!;
  // A gap of 1% of the stream's spread is never news, however regular the stream (a perfect sine).
  const gap = Math.abs(r) / Math.max(scale, 0.01 * s.spread);
  const rate = Math.max(scaleAlpha(cfg.scaleHalfLife), 1 / (scored + 1));
  s.scale[i] = ewma(scale, scored ? Math.min(Math.abs(r), 6 * scale) : Math.abs(r), rate);
  s.scored[i] = scored + 1;
  s.residual[i] = r;
  return gap;
}
