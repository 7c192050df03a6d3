/**
 * The radar's detector: the one configuration Earshot runs on every stream and on NAB.
 *
 * Four complementary surprise measures watch the stream (see each component for its "why"):
 * - extremity: the stream breaks out of the range it has covered, at one of several time scales;
 * - seasonal: the stream is unusual for the time of day / week, relative to its own record of such gaps;
 * - novelty: the recent shape has never been seen (e.g. spikes suddenly far denser than before);
 * - volatility: the point-to-point changes break out of their range (a stream that starts to flap or burst
 *   without leaving its range of values).
 * Each is expressed in alert units (1 = that measure alone justifies an alert) and the largest wins.
 *
 * The score then gets alert hygiene: nothing during warm-up, one alert per incident (a cool-down after
 * each alert), and a score that crosses 0.5 exactly when an alert fires, so "score ≥ 0.5" means "alert".
 */
import { DAY_MS } from './detector.ts';
import type { DeepReadonly, StreamingDetector } from './detector.ts';
import { copyExtremityState, createExtremityState, observeExtremity } from './extremity.component.ts';
import type { ExtremityConfig, ExtremityState } from './extremity.component.ts';
import { copyNoveltyState, createNoveltyState, observeNovelty } from './novelty.component.ts';
import type { NoveltyConfig, NoveltyState } from './novelty.component.ts';
import { anscombe, squash } from './online-stats.ts';
import { beatRecord, createRecord } from './record.ts';
import type { RecordConfig, RecordState } from './record.ts';
import { copySeasonalState, createSeasonalState, observeSeasonal } from './seasonal.component.ts';
import type { SeasonalConfig, SeasonalState } from './seasonal.component.ts';
import { copyVolatilityState, createVolatilityState, observeVolatility } from './volatility.component.ts';
import type { VolatilityConfig, VolatilityState } from './volatility.component.ts';

export interface RadarConfig {
  /** Treat values as event counts and stabilise their Poisson noise first (mention streams: true). */
  counts: boolean;
  extremity: ExtremityConfig;
  /** Breakout, as a fraction of the range, that is worth an alert. */
  extremityAlert: number;
  seasonal: SeasonalConfig;
  /** When a seasonal gap (in typical gaps) is worth an alert: relative to the stream's record gap. */
  seasonalRecord: RecordConfig;
  volatility: VolatilityConfig;
  /** Breakout of the changes, as a fraction of their range, that is worth an alert. */
  volatilityAlert: number;
  novelty: NoveltyConfig;
  /** When a shape's distance to the nearest known shape (a fraction of the range) is worth an alert:
   *  relative to the stream's record distance, because a stream rich in shapes finds new ones every day. */
  noveltyRecord: RecordConfig;
  /** Points, and time, seen before any alert may fire: the detector is still learning what normal looks
   *  like, and a stream's first day shows only part of its daily rhythm. */
  warmupPoints: number;
  warmupMs: number;
  /** Points after an alert during which no new alert fires: one incident, one alert. */
  cooldownPoints: number;
}

/**
 * The fixed configuration used for every NAB file, and the base of every stream's configuration.
 * Chosen by the measurements in docs/decisions/0003-anomaly-detection.md; not tuned per file.
 */
export const DEFAULT_RADAR_CONFIG: RadarConfig = {
  counts: false,
  extremity: { scales: [1, 3, 9, 27, 81], lag: 12, forgetHalfLife: 5000, expandRate: 0.5, learnPoints: 150, noiseFloor: 1.5, direction: 'both' },
  extremityAlert: 0.1,
  volatility: { scales: [9, 27, 81], lag: 12, forgetHalfLife: 5000, expandRate: 0.5, learnPoints: 150, noiseFloor: 1.5, direction: 'up', clip: 2 },
  volatilityAlert: 0.15,
  seasonal: { profileHalfLifePeriods: 2, residualHalfLife: 1, scaleHalfLife: 2000, minStrength: 0.6, minPeriods: 2 },
  seasonalRecord: { margin: 1.1, minSurprise: 8, halfLife: 2000 },
  novelty: { window: 4, stride: 2, capacity: 200, vigilance: 0.05, learningRate: 0.05 },
  noveltyRecord: { margin: 1.5, minSurprise: 0.3, halfLife: 2000 },
  warmupPoints: 150,
  warmupMs: DAY_MS,
  cooldownPoints: 100,
};

/**
 * Preset for mention-count streams (brand, brand × topic, brand × negative): the same method on
 * Anscombe-transformed counts, and only upward breakouts (a quiet hour is not a crisis).
 */
export const COUNT_RADAR_CONFIG: RadarConfig = {
  ...DEFAULT_RADAR_CONFIG,
  counts: true,
  extremity: { ...DEFAULT_RADAR_CONFIG.extremity, direction: 'up' },
};

/** Plain, serialisable state of a radar detector (see `toJSON`). */
export interface RadarState {
  n: number;
  firstT: number;
  lastT: number;
  /** Points since the last alert; -1 before the first (JSON has no Infinity). */
  sinceAlert: number;
  seasonalRecord: RecordState;
  noveltyRecord: RecordState;
  extremity: ExtremityState;
  seasonal: SeasonalState;
  novelty: NoveltyState;
  /** Absent from states saved before the component existed: such a detector starts learning it afresh. */
  volatility: VolatilityState;
}

/** Each component's surprise at the last update, in alert units (≥ 1: that component alone would alert). */
export interface RadarExplanation {
  extremity: number;
  seasonal: number;
  novelty: number;
  volatility: number;
}

export class RadarDetector implements StreamingDetector<RadarState> {
  private readonly state: RadarState;
  /** Why the last score was what it was: feeds the alert's explanation. */
  last: RadarExplanation = { extremity: 0, seasonal: 0, novelty: 0, volatility: 0 };

  constructor(
    readonly config: RadarConfig = DEFAULT_RADAR_CONFIG,
    state?: DeepReadonly<RadarState>,
  ) {
    // A deep copy: the detector never shares (or mutates) state it was handed.
    this.state = state ? copyRadarState(state) : createRadarState(config);
    this.state.volatility ??= createVolatilityState(config.volatility);
  }

  /**
   * Rebuilds a detector from `toJSON()` or `snapshot()` output (copied, never kept); `config` must be the
   * one the state was built with.
   */
  static fromJSON(state: DeepReadonly<RadarState>, config: RadarConfig = DEFAULT_RADAR_CONFIG): RadarDetector {
    return new RadarDetector(config, state);
  }

  /** A deep copy of the state, safe to keep and to change. */
  toJSON(): RadarState {
    return copyRadarState(this.state);
  }

  /**
   * The live state, read-only and without a copy (a copy costs about as much as an update): for bands,
   * for persisting (`JSON.stringify(d.snapshot())`) and for scoring on a copy (`fromJSON(d.snapshot())`).
   * Reading it changes nothing; the next `update` changes what it shows, so do not keep it across updates.
   */
  snapshot(): DeepReadonly<RadarState> {
    return this.state;
  }

  /**
   * Scores one point (see `StreamingDetector.update`). A point at or before the last timestamp returns 0
   * without learning: a late or repeated bucket must not rewrite history (re-count it upstream instead).
   */
  update(timestamp: number, value: number): number {
    const s = this.state;
    const cfg = this.config;
    if (!Number.isFinite(value) || !Number.isFinite(timestamp) || (s.n > 0 && timestamp <= s.lastT)) return 0;
    const x = cfg.counts ? anscombe(value) : value;
    // The first points' surprises come from half-learnt scales: keep them out of the records.
    const learning = s.n >= cfg.warmupPoints / 2;
    this.last = {
      extremity: observeExtremity(s.extremity, cfg.extremity, x) / cfg.extremityAlert,
      seasonal: beatRecord(s.seasonalRecord, cfg.seasonalRecord, timestamp, observeSeasonal(s.seasonal, cfg.seasonal, timestamp, x), learning),
      novelty: beatRecord(s.noveltyRecord, cfg.noveltyRecord, timestamp, observeNovelty(s.novelty, cfg.novelty, x), learning),
      volatility: observeVolatility(s.volatility, cfg.volatility, x) / cfg.volatilityAlert,
    };
    // A component added to a stream with a saved state learns from then on: it gets its own warm-up.
    if (s.volatility.n <= cfg.warmupPoints) this.last.volatility = 0;
    if (s.n === 0) s.firstT = timestamp;
    s.n++;
    s.lastT = timestamp;
    if (s.sinceAlert >= 0) s.sinceAlert++;
    const { extremity, seasonal, novelty, volatility } = this.last;
    return this.gate(Math.max(extremity, seasonal, novelty, volatility));
  }

  private gate(surprise: number): number {
    const s = this.state;
    const score = squash(surprise, 1);
    const cooling = s.sinceAlert >= 0 && s.sinceAlert <= this.config.cooldownPoints;
    const warming = s.n <= this.config.warmupPoints || s.lastT - s.firstT < this.config.warmupMs;
    if (warming || cooling) return Math.min(score, 0.49);
    if (score >= 0.5) s.sinceAlert = 0;
    return score;
  }
}

function createRadarState(config: RadarConfig): RadarState {
  return {
    n: 0, firstT: 0, lastT: 0, sinceAlert: -1, seasonalRecord: createRecord(), noveltyRecord: createRecord(),
    extremity: createExtremityState(config.extremity),
    seasonal: createSeasonalState(),
    novelty: createNoveltyState(),
    volatility: createVolatilityState(config.volatility),
  };
}

/**
 * A deep copy of a state, as `structuredClone` makes it (same keys in the same order, unknown keys kept)
 * but over 10× faster: the open buckets are scored on a copy every round. A state saved before the
 * volatility component existed stays without it (the constructor adds a fresh one).
 */
function copyRadarState(s: DeepReadonly<RadarState>): RadarState {
  const copy: RadarState = {
    ...s,
    seasonalRecord: { ...s.seasonalRecord },
    noveltyRecord: { ...s.noveltyRecord },
    extremity: copyExtremityState(s.extremity),
    seasonal: copySeasonalState(s.seasonal),
    novelty: copyNoveltyState(s.novelty),
    volatility: s.volatility as RadarState['volatility'],
  };
  if (s.volatility) copy.volatility = copyVolatilityState(s.volatility);
  return copy;
}
