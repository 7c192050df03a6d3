/**
 * Record calibration: turns a raw surprise into "how far above this stream's own recent record it is".
 *
 * Why: raw gaps (seasonal residuals, level shifts) are on each stream's own scale — a loose rhythm has
 * big gaps every day. Comparing with the largest gap of the recent past (slowly forgotten) makes one
 * threshold mean the same thing on every stream: "bigger than anything lately, by a margin".
 */
import { DAY_MS } from './detector.ts';
import { cachedLast } from './online-stats.ts';

export interface RecordConfig {
  /** The surprise must beat the record by this ratio… */
  margin: number;
  /** …and be at least this large in absolute terms. */
  minSurprise: number;
  /** Half-life, in points, with which the record is forgotten. */
  halfLife: number;
}

export interface RecordState {
  record: number;
  /** When the raw surprise was first available (0: not yet). */
  since: number;
}

export function createRecord(): RecordState {
  return { record: 0, since: 0 };
}

/** The record's decay per point for a half-life in points. */
const decayOf = cachedLast((halfLife) => Math.pow(0.5, 1 / halfLife));

/**
 * @param learn whether this surprise may raise the record (not while the source is still warming up).
 * @returns the surprise in alert units (≥ 1: beats the record by the margin); 0 until the record has
 *   watched a full day of surprises, because a record of a few hours means nothing.
 */
export function beatRecord(r: RecordState, cfg: RecordConfig, t: number, surprise: number, learn: boolean): number {
  if (surprise > 0 && !r.since) r.since = t;
  const mature = r.since > 0 && t - r.since >= DAY_MS;
  const ratio = surprise / Math.max(r.record * cfg.margin, cfg.minSurprise);
  if (learn) r.record = Math.max(surprise, r.record * decayOf(cfg.halfLife));
  return mature ? ratio : 0;
}
