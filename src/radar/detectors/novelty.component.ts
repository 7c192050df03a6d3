/**
 * Pattern novelty: has the stream's recent shape been seen before?
 *
 * The last few points, scaled by the range the stream has covered so far, form a small vector. The
 * detector keeps a bounded memory of prototype vectors (an adaptive-resonance-style clustering): a vector
 * close to a prototype is familiar and nudges it; one far from all of them is novel and becomes a new
 * prototype. The surprise is the distance to the nearest prototype, in fractions of the stream's range.
 *
 * Why: most incidents are a shape the stream has not produced before (a breakout above its range, a flat
 * line where it always moves, a missing daily peak), while normal days repeat shapes already in memory,
 * whatever their seasonality. Scaling by the range makes one threshold fit every stream.
 */

export interface NoveltyConfig {
  /** Points in the shape vector. */
  window: number;
  /** Points averaged into each element of the vector (smooths noise, widens the time scale). */
  stride: number;
  /** Maximum prototypes kept; the least used is forgotten when full. */
  capacity: number;
  /** Distance (fraction of range) within which a shape is considered the same as a prototype. */
  vigilance: number;
  /** Learning rate with which a matched prototype moves towards the shape. */
  learningRate: number;
}

export interface NoveltyState {
  n: number;
  /** Running range of the stream (min, max) over everything seen. */
  lo: number;
  hi: number;
  /** The last window·stride raw values, oldest first. */
  recent: number[];
  /** Prototypes, flattened: prototype i is protos[i·window … (i+1)·window). */
  protos: number[];
  /**
   * Per prototype: its use count, decayed by USE_DECAY per point, kept in log form as
   * ln(uses at point n) + n·ln(USE_DECAY) so that decay costs nothing per point and the least used
   * prototype is simply the smallest entry.
   */
  priority: number[];
}

/** Per-point decay of a prototype's use count: a shape unused for ~700 points is half forgotten. */
const LN_DECAY = Math.log(0.999);

export function createNoveltyState(): NoveltyState {
  return { n: 0, lo: 0, hi: 0, recent: [], protos: [], priority: [] };
}

/** The normalised shape of the recent values, or null until enough points have been seen. */
function shapeOf(s: NoveltyState, cfg: NoveltyConfig): number[] | null {
  const need = cfg.window * cfg.stride;
  if (s.recent.length < need || !(s.hi > s.lo)) return null;
  const span = s.hi - s.lo;
  const v: number[] = [];
  for (let j = 0; j < cfg.window; j++) {
    let sum = 0;
    for (let k = 0; k < cfg.stride; k++) sum += s.recent[j * cfg.stride + k]!;
    v.push((sum / cfg.stride - s.lo) / span);
  }
  return v;
}

function nearest(s: NoveltyState, v: readonly number[]): { index: number; distance: number } {
  const w = v.length;
  let index = -1;
  let distance = Infinity;
  for (let i = 0; i < s.priority.length; i++) {
    let d = 0;
    for (let j = 0; j < w; j++) d = Math.max(d, Math.abs(s.protos[i * w + j]! - v[j]!));
    if (d < distance) [distance, index] = [d, i];
  }
  return { index, distance };
}

/**
 * Scores `x` (the shape ending at it, against the range before it), then learns it.
 * @returns the distance to the nearest known shape, as a fraction of the range (0 while warming up).
 */
export function observeNovelty(s: NoveltyState, cfg: NoveltyConfig, x: number): number {
  s.recent.push(x);
  if (s.recent.length > cfg.window * cfg.stride) s.recent.shift();
  const v = shapeOf(s, cfg);
  [s.lo, s.hi] = s.n === 0 ? [x, x] : [Math.min(s.lo, x), Math.max(s.hi, x)];
  s.n++;
  if (!v) return 0;
  const { index, distance } = nearest(s, v);
  if (index >= 0 && distance <= cfg.vigilance) {
    for (let j = 0; j < v.length; j++) s.protos[index * v.length + j]! += cfg.learningRate * (v[j]! - s.protos[index * v.length + j]!);
    const uses = Math.exp(s.priority[index]! - s.n * LN_DECAY);
    s.priority[index] = Math.log(uses + 1) + s.n * LN_DECAY;
  } else addPrototype(s, cfg, v);
  return index < 0 ? 0 : distance;
}

function addPrototype(s: NoveltyState, cfg: NoveltyConfig, v: readonly number[]): void {
  const fresh = s.n * LN_DECAY; // ln(1) + n·ln(decay)
  if (s.priority.length < cfg.capacity) {
    s.protos.push(...v);
    s.priority.push(fresh);
    return;
  }
  let worst = 0;
  for (let i = 1; i < s.priority.length; i++) if (s.priority[i]! < s.priority[worst]!) worst = i;
  for (let j = 0; j < v.length; j++) s.protos[worst * v.length + j] = v[j]!;
  s.priority[worst] = fresh;
}
