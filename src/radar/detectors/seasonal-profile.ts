/**
 * A seasonal profile: the typical value of a stream at each phase of a period (a day, a week), learned
 * online. The period is cut into slots; a point at a phase between two slot centres reads and updates
 * both, weighted by distance, so a 30-minute slot still follows a ramp inside the half hour.
 */
import type { DeepReadonly } from './detector.ts';
import { clamp } from './online-stats.ts';

/** Plain, serialisable state of one profile. */
export interface SeasonalProfileState {
  periodMs: number;
  slots: number[];
  /** How many times each slot has been updated (capped; 0 = never seen). */
  seen: number[];
}

export function createProfile(periodMs: number, slotCount: number): SeasonalProfileState {
  return { periodMs, slots: new Array<number>(slotCount).fill(0), seen: new Array<number>(slotCount).fill(0) };
}

/** The two slots around a timestamp, set by `neighbours` (no object per call: this runs on every point). */
let i0 = 0;
let i1 = 0;
/** Weight of slot i1 (slot i0 gets 1 - f). */
let f = 0;

function neighbours(p: DeepReadonly<SeasonalProfileState>, timestamp: number): void {
  const k = p.slots.length;
  const phase = (((timestamp % p.periodMs) + p.periodMs) % p.periodMs) / p.periodMs; // [0, 1)
  const pos = phase * k - 0.5; // slot i is centred at (i + 0.5) / k
  const lo = Math.floor(pos);
  [i0, i1, f] = [(lo + k) % k, (lo + 1) % k, pos - lo];
}

/** The profile's value at `timestamp`, or null while either neighbouring slot is still unseen. */
export function profileAt(p: DeepReadonly<SeasonalProfileState>, timestamp: number): number | null {
  neighbours(p, timestamp);
  if (!p.seen[i0] || !p.seen[i1]) return null;
  return (1 - f) * p.slots[i0]! + f * p.slots[i1]!;
}

/**
 * Moves the profile at `timestamp` towards `value`. `alpha` is the learning rate of one update (callers
 * scale it by the sampling interval so that it means the same per period whatever the bucket size); a
 * slot's first visits use a larger rate (1/visits), a running mean, so the profile is usable after one period.
 */
export function updateProfile(p: SeasonalProfileState, timestamp: number, value: number, alpha: number): void {
  neighbours(p, timestamp);
  const [first, second, w1] = [i0, i1, f];
  updateSlot(p, first, 1 - w1, value, alpha);
  updateSlot(p, second, w1, value, alpha);
}

function updateSlot(p: SeasonalProfileState, i: number, w: number, value: number, alpha: number): void {
  if (w <= 0) return;
  const seen = p.seen[i]!;
  const rate = clamp(Math.max(alpha, 1 / (seen + 1)) * w, 0, 1);
  p.slots[i] = seen ? p.slots[i]! + rate * (value - p.slots[i]!) : value;
  // Count a visit only when the point was close to the slot, so "seen" means "has a real estimate".
  if (w >= 0.5 || seen) p.seen[i] = Math.min(seen + w, 1000);
}
