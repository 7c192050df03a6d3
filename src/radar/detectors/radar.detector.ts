/**
 * The radar's detector: the one configuration Earshot runs on every stream and on NAB.
 *
 * It combines surprise measures (see the components) into one surprise, and turns it into a score with
 * alert hygiene: nothing during warm-up, one alert per incident (a cool-down after each alert), and a
 * score that crosses 0.5 exactly when an alert fires, so "score ≥ 0.5" and "alert" mean the same thing.
 */
import type { StreamingDetector } from './detector.ts';
import { createForecastState, observeForecast } from './forecast.component.ts';
import type { ForecastConfig, ForecastState } from './forecast.component.ts';
import { createSeasonalState, observeSeasonal } from './seasonal.component.ts';
import type { SeasonalConfig, SeasonalState } from './seasonal.component.ts';
import { anscombe, squash } from './online-stats.ts';
import { createNoveltyState, observeNovelty } from './novelty.component.ts';
import type { NoveltyConfig, NoveltyState } from './novelty.component.ts';
import { createExtremityState, observeExtremity } from './extremity.component.ts';
import type { ExtremityConfig, ExtremityState } from './extremity.component.ts';

export interface RadarConfig {
  /** Treat values as event counts and stabilise their Poisson noise first (mention streams: true). */
  counts: boolean;
  forecast: ForecastConfig;
  novelty: NoveltyConfig;
  /** Novelty (fraction of range) that counts as one alert-level surprise. */
  noveltyAlert: number;
  /** Weight of each component's surprise in the max (0 disables it). */
  useForecast: number;
  seasonal: SeasonalConfig;
  useSeasonal: number;
  useNovelty: number;
  extremity: ExtremityConfig;
  extremityAlert: number;
  useExtremity: number;
  exRecordMargin: number;
  /** Points seen before any alert may fire: the detector is still learning what normal looks like. */
  warmupPoints: number;
  /** Surprise at which an alert fires (score 0.5). */
  alertSurprise: number;
  /** Half-life, in points, of the record of past surprises an alert must beat. */
  recordHalfLife: number;
  /** How far above the decayed record a surprise must be to alert (ratio). */
  recordMargin: number;
  /** Points after an alert during which no new alert fires: one incident, one alert. */
  cooldownPoints: number;
}

/** The fixed configuration used for every NAB file and every stream (counts: false for generic metrics). */
export const DEFAULT_RADAR_CONFIG: RadarConfig = {
  counts: false,
  forecast: {
    levelHalfLife: 6,
    errorHalfLife: 288,
    seasonHalfLifePeriods: 2,
    offsetHalfLife: 12,
    winsorize: 6,
    minScored: 30,
  },
  novelty: { window: 4, stride: 2, capacity: 400, vigilance: 0.05, learningRate: 0.05 },
  noveltyAlert: 0.15,
  useForecast: 0,
  seasonal: { profileHalfLifePeriods: 2, residualHalfLife: 3, scaleHalfLife: 2000, minStrength: 0.5, minPeriods: 1 },
  useSeasonal: 1,
  useNovelty: 0,
  extremity: { scales: [1, 3, 9, 27, 81], lag: 12, forgetHalfLife: 5000, direction: 'both' },
  extremityAlert: 0.1,
  useExtremity: 1,
  exRecordMargin: 0,
  warmupPoints: 150,
  alertSurprise: 8,
  recordHalfLife: 2000,
  recordMargin: 1.5,
  cooldownPoints: 100,
};

/** Preset for mention-count streams (brand, brand × topic, brand × negative): same method, Poisson-aware. */
export const COUNT_RADAR_CONFIG: RadarConfig = { ...DEFAULT_RADAR_CONFIG, counts: true };

export interface RadarState {
  n: number;
  lastT: number;
  /** Points since the last alert; -1 before the first (JSON has no Infinity). */
  sinceAlert: number;
  record: number;
  exRecord: number;
  forecast: ForecastState;
  seasonal: SeasonalState;
  novelty: NoveltyState;
  extremity: ExtremityState;
}

export class RadarDetector implements StreamingDetector<RadarState> {
  private readonly state: RadarState;

  constructor(readonly config: RadarConfig = DEFAULT_RADAR_CONFIG, state?: RadarState) {
    this.state = state ? structuredClone(state) : { n: 0, lastT: 0, sinceAlert: -1, record: 0, exRecord: 0, forecast: createForecastState(), seasonal: createSeasonalState(), novelty: createNoveltyState(), extremity: createExtremityState(config.extremity) };
  }

  static fromJSON(state: RadarState, config: RadarConfig = DEFAULT_RADAR_CONFIG): RadarDetector {
    return new RadarDetector(config, state);
  }

  toJSON(): RadarState {
    return structuredClone(this.state);
  }

  /** Also returns 0, without learning, for points out of time order: a late bucket must not rewrite history. */
  update(timestamp: number, value: number): number {
    const s = this.state;
    if (!Number.isFinite(value) || !Number.isFinite(timestamp) || (s.n > 0 && timestamp <= s.lastT)) return 0;
    const x = this.config.counts ? anscombe(value) : value;
    const f = this.config.useForecast ? observeForecast(s.forecast, this.config.forecast, timestamp, x) / this.config.alertSurprise : 0;
    const se = this.calibrate(observeSeasonal(s.seasonal, this.config.seasonal, timestamp, x));
    const nv = observeNovelty(s.novelty, this.config.novelty, x) / this.config.noveltyAlert;
    const exRaw = observeExtremity(s.extremity, this.config.extremity, x);
    const ex = exRaw / Math.max(this.config.extremityAlert, this.config.exRecordMargin * s.exRecord);
    if (s.n > this.config.warmupPoints / 2) s.exRecord = Math.max(exRaw, s.exRecord * Math.pow(0.5, 1 / this.config.recordHalfLife));
    const surprise = Math.max(f * this.config.useForecast, se * this.config.useSeasonal, nv * this.config.useNovelty, ex * this.config.useExtremity);
    s.n++;
    s.lastT = timestamp;
    if (s.sinceAlert >= 0) s.sinceAlert++;
    return this.gate(surprise);
  }

  /** Surprise relative to the stream's own record: what was normal noise for this stream is not news. */
  private calibrate(surprise: number): number {
    const s = this.state;
    const cfg = this.config;
    const ratio = surprise / Math.max(s.record * cfg.recordMargin, cfg.alertSurprise);
    if (s.n <= cfg.warmupPoints / 2) return 0;
    s.record = Math.max(surprise, s.record * Math.pow(0.5, 1 / cfg.recordHalfLife));
    return ratio;
  }

  private gate(surprise: number): number {
    const s = this.state;
    const cfg = this.config;
    const score = squash(surprise, 1);
    const cooling = s.sinceAlert >= 0 && s.sinceAlert <= cfg.cooldownPoints;
    if (s.n <= cfg.warmupPoints || cooling) return Math.min(score, 0.49);
    if (score >= 0.5) s.sinceAlert = 0;
    return score;
  }
}
