/**
 * Small numeric helpers shared by the detectors. Everything here is pure and works on plain numbers so
 * that detector state stays plain JSON.
 */

/** The smoothing factor of an exponentially weighted average whose weights halve every `halfLife` steps. */
export function alphaFromHalfLife(halfLife: number): number {
  return 1 - Math.pow(0.5, 1 / Math.max(halfLife, 1e-9));
}

/**
 * `fn` with its last answer kept: a detector asks for the same few constants (smoothing factors of its
 * half-lives) on every point, and `Math.pow` would otherwise be a good part of what an update costs.
 * Give each call site its own cache, so it hits whenever the configuration does not change; the answer
 * is the very number `fn` returns.
 */
export function cachedLast(fn: (x: number) => number): (x: number) => number {
  let cached = false;
  let lastX = 0;
  let lastY = 0;
  return (x) => {
    // Object.is, not ===: 0 and -0 may give different answers (and NaN must hit).
    if (!cached || !Object.is(x, lastX)) [cached, lastX, lastY] = [true, x, fn(x)];
    return lastY;
  };
}

/** One exponentially weighted step from `prev` towards `x`. */
export function ewma(prev: number, x: number, alpha: number): number {
  return prev + alpha * (x - prev);
}

/** Clamps `x` into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Maps a non-negative surprise onto [0, 1) so that `surprise === pivot` gives exactly 0.5.
 * A rational map (not a logistic) keeps scores for surprise ≪ pivot near 0 without underflow.
 */
export function squash(surprise: number, pivot: number): number {
  if (!(surprise > 0)) return 0;
  const r = surprise / pivot;
  const r2 = r * r;
  return r2 / (1 + r2);
}

/**
 * The Anscombe transform 2·√(x + 3/8): turns Poisson counts into values whose noise is close to N(0, 1)
 * whatever the rate, so one threshold works for a brand with 2 mentions an hour and one with 2,000.
 */
export function anscombe(count: number): number {
  return 2 * Math.sqrt(Math.max(count, 0) + 0.375);
}
