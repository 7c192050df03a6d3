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
import type { DeepReadonly } from './detector.ts';
import { PrototypeSearch } from './prototype-search.ts';

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

/** A deep copy of `s` (what `structuredClone` gives, much faster; unknown keys are kept). */
export function copyNoveltyState(s: DeepReadonly<NoveltyState>): NoveltyState {
  return { ...s, recent: s.recent.slice(), protos: s.protos.slice(), priority: s.priority.slice() };
}

/** Scratch space for the current shape (its values are copied into the state when learned). */
let shape = new Float64Array(8);

/**
 * Writes the normalised shape of the recent values into `shape`, or returns false until enough points
 * have been seen. Element j is ((sum of its stride values) / stride − lo) / span, summed in time order.
 */
function shapeOf(s: NoveltyState, cfg: NoveltyConfig): boolean {
  const { window, stride } = cfg;
  if (s.recent.length < window * stride || !(s.hi > s.lo)) return false;
  if (shape.length < window) shape = new Float64Array(window);
  const span = s.hi - s.lo;
  const recent = s.recent;
  for (let j = 0; j < window; j++) {
    let sum = 0;
    for (let k = 0; k < stride; k++) sum += recent[j * stride + k]!;
    shape[j] = (sum / stride - s.lo) / span;
  }
  return true;
}

/**
 * Per state: the search aid for its prototypes (sorted order, last match) — derived data, never part of
 * the saved state; a restored or copied state gets its own and finds the very same prototypes.
 */
const searches = new WeakMap<NoveltyState, PrototypeSearch>();

/**
 * Scores `x` (the shape ending at it, against the range before it), then learns it.
 * @returns the distance to the nearest known shape, as a fraction of the range (0 while warming up).
 */
export function observeNovelty(s: NoveltyState, cfg: NoveltyConfig, x: number): number {
  s.recent.push(x);
  if (s.recent.length > cfg.window * cfg.stride) s.recent.shift();
  const known = shapeOf(s, cfg);
  if (s.n === 0) [s.lo, s.hi] = [x, x];
  else [s.lo, s.hi] = [Math.min(s.lo, x), Math.max(s.hi, x)];
  s.n++;
  if (!known) return 0;
  const w = cfg.window;
  let search = searches.get(s);
  if (!search) searches.set(s, (search = new PrototypeSearch()));
  search.find(s.protos, s.priority.length, w, shape);
  const { index, distance } = search;
  if (index >= 0 && distance <= cfg.vigilance) {
    for (let j = 0; j < w; j++) s.protos[index * w + j]! += cfg.learningRate * (shape[j]! - s.protos[index * w + j]!);
    const uses = Math.exp(s.priority[index]! - s.n * LN_DECAY);
    s.priority[index] = Math.log(uses + 1) + s.n * LN_DECAY;
    search.changed(s.protos, index, w);
  } else search.changed(s.protos, addPrototype(s, cfg), w);
  return index < 0 ? 0 : distance;
}

/** Stores `shape` as a prototype (replacing the least used one when full); returns its index. */
function addPrototype(s: NoveltyState, cfg: NoveltyConfig): number {
  const fresh = s.n * LN_DECAY; // ln(1) + n·ln(decay)
  const w = cfg.window;
  if (s.priority.length < cfg.capacity) {
    for (let j = 0; j < w; j++) s.protos.push(shape[j]!);
    s.priority.push(fresh);
    return s.priority.length - 1;
  }
  let worst = 0;
  for (let i = 1; i < s.priority.length; i++) if (s.priority[i]! < s.priority[worst]!) worst = i;
  for (let j = 0; j < w; j++) s.protos[worst * w + j] = shape[j]!;
  s.priority[worst] = fresh;
  return worst;
}
