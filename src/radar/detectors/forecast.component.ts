/**
 * Forecast-residual surprise: several simple forecasters predict the next point, the one that has been
 * most accurate lately is trusted, and the surprise is its error in units of its typical error.
 *
 * Why several: a flat noisy stream is best predicted by its recent mean, a random walk by its last value,
 * a stream with a daily or weekly rhythm by the same time yesterday / last week. Picking the best recent
 * forecaster makes the detector robust to seasonality and slow drift without per-stream configuration:
 * the evening peak is not a surprise once the daily model predicts it better than the flat one.
 */
import { DAY_MS, WEEK_MS } from './detector.ts';
import { alphaFromHalfLife, ewma } from './online-stats.ts';
import { createProfile, profileAt, updateProfile } from './seasonal-profile.ts';
import type { SeasonalProfileState } from './seasonal-profile.ts';

export interface ForecastConfig {
  /** Half-life, in points, of the recent-mean forecaster. */
  levelHalfLife: number;
  /** Half-life, in points, of each forecaster's typical absolute error (its scale, and how it is ranked). */
  errorHalfLife: number;
  /** Half-life, in periods, of the seasonal profiles. */
  seasonHalfLifePeriods: number;
  /** Half-life, in points, of the offset between the seasonal profile and the current level. */
  offsetHalfLife: number;
  /** Errors larger than this many typical errors are clipped before they update the scale. */
  winsorize: number;
  /** Points a forecaster must have been scored on before it may be trusted. */
  minScored: number;
}

/** Index of each forecaster in the state arrays. */
const MODELS = ['last', 'level', 'daily', 'weekly'] as const;

export interface ForecastState {
  n: number;
  lastT: number;
  last: number;
  level: number;
  /** Typical sampling interval in ms (EWMA), used to scale seasonal learning rates. */
  dt: number;
  daily: SeasonalProfileState;
  weekly: SeasonalProfileState;
  dailyOffset: number;
  weeklyOffset: number;
  /** Per forecaster: EWMA of |error|, and how many points it has been scored on. */
  mae: number[];
  scored: number[];
}

export function createForecastState(): ForecastState {
  return {
    n: 0, lastT: 0, last: 0, level: 0, dt: 0,
    daily: createProfile(DAY_MS, 48),
    weekly: createProfile(WEEK_MS, 168),
    dailyOffset: 0, weeklyOffset: 0,
    mae: MODELS.map(() => 0), scored: MODELS.map(() => 0),
  };
}

/** The prediction of every forecaster for time t (null where one is not ready). */
function predict(s: ForecastState, t: number): (number | null)[] {
  if (s.n === 0) return MODELS.map(() => null);
  const d = profileAt(s.daily, t);
  const w = t - firstT(s) >= WEEK_MS ? profileAt(s.weekly, t) : null;
  return [s.last, s.level, d === null ? null : d + s.dailyOffset, w === null ? null : w + s.weeklyOffset];
}

/** Start of the stream, recovered from n and dt so the state does not need another field. */
function firstT(s: ForecastState): number {
  return s.lastT - (s.n - 1) * s.dt;
}

/**
 * Scores `x` at time `t` against the state, then learns from it.
 * @returns the surprise: |error| / typical error of the most accurate ready forecaster (0 while none is).
 */
export function observeForecast(s: ForecastState, cfg: ForecastConfig, t: number, x: number): number {
  const preds = predict(s, t);
  let best = -1;
  for (let m = 0; m < MODELS.length; m++) {
    if (preds[m] === null || s.scored[m]! < cfg.minScored) continue;
    if (best < 0 || s.mae[m]! < s.mae[best]!) best = m;
  }
  const surprise = best < 0 ? 0 : Math.abs(x - preds[best]!) / Math.max(s.mae[best]!, 1e-9);
  learn(s, cfg, t, x, preds);
  return surprise;
}

function learn(s: ForecastState, cfg: ForecastConfig, t: number, x: number, preds: (number | null)[]): void {
  const aErr = alphaFromHalfLife(cfg.errorHalfLife);
  for (let m = 0; m < MODELS.length; m++) {
    const p = preds[m];
    if (p === null || p === undefined) continue;
    const err = Math.abs(x - p);
    const cap = s.scored[m]! > 0 ? cfg.winsorize * Math.max(s.mae[m]!, 1e-9) : err;
    const rate = Math.max(aErr, 1 / (s.scored[m]! + 1));
    s.mae[m] = ewma(s.mae[m]!, Math.min(err, cap), rate);
    s.scored[m] = s.scored[m]! + 1;
  }
  if (s.n > 0) s.dt = s.n === 1 ? t - s.lastT : ewma(s.dt, t - s.lastT, 0.01);
  const aOff = alphaFromHalfLife(cfg.offsetHalfLife);
  s.level = s.n === 0 ? x : ewma(s.level, x, alphaFromHalfLife(cfg.levelHalfLife));
  learnSeason(s.daily, cfg, s.dt, t, x - s.dailyOffset);
  learnSeason(s.weekly, cfg, s.dt, t, x - s.weeklyOffset);
  if (preds[2] != null) s.dailyOffset = ewma(s.dailyOffset, x - (preds[2] - s.dailyOffset), aOff);
  if (preds[3] != null) s.weeklyOffset = ewma(s.weeklyOffset, x - (preds[3] - s.weeklyOffset), aOff);
  s.last = x;
  s.lastT = t;
  s.n++;
}

function learnSeason(p: SeasonalProfileState, cfg: ForecastConfig, dt: number, t: number, target: number): void {
  // A slot is visited slotMs/dt times per period: divide so the half-life means "periods" at any bucket size.
  const slotMs = p.periodMs / p.slots.length;
  const perVisit = dt > 0 ? Math.min(1, dt / slotMs) : 1;
  updateProfile(p, t, target, alphaFromHalfLife(cfg.seasonHalfLifePeriods) * perVisit);
}
