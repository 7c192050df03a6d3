/**
 * The contract shared by every streaming anomaly detector of the radar.
 *
 * A detector watches one stream (a brand's mention count per 5-minute bucket, a NAB series…) and is fed
 * its points in time order. It never looks ahead: the score it returns for a point depends only on that
 * point and the points before it, so replaying a stream gives the same scores as watching it live.
 */

/**
 * An online detector over one stream.
 *
 * - `update` is called once per point, in increasing timestamp order. It returns an anomaly score in
 *   [0, 1]; ≥ 0.5 means "alert". Non-finite values are ignored (score 0, state unchanged).
 * - `toJSON` returns plain data (numbers and arrays only) from which the detector's `fromJSON` rebuilds
 *   an identical detector, so a stream's state can be persisted between updates.
 */
export interface StreamingDetector<State> {
  update(timestamp: number, value: number): number;
  toJSON(): State;
}

/**
 * A read-only view of plain detector state: what `snapshot()` accessors return. The compiler rejects
 * writes through it, so callers may read the live state (bands, persistence) without the deep copy
 * `toJSON` makes; keep the view no longer than until the detector's next `update`, which changes it.
 */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Milliseconds in an hour, a day and a week: the periods the seasonal models know about. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
