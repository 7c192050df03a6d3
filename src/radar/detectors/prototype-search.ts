/**
 * Finding the prototype nearest to a shape (novelty component) without measuring all of them.
 *
 * The distance is Chebyshev (the largest difference over the shape's elements), so the difference in the
 * first element alone is a lower bound. Prototypes are kept sorted by their first element, and the search
 * walks outwards from the shape's first element, stopping once that bound exceeds the best distance found.
 * It returns exactly what a scan of every prototype in index order returns: the smallest distance, and
 * the lowest index among equally near prototypes. Prototypes with a NaN distance are never chosen.
 *
 * The sorted order is derived data, kept beside a detector's state and never saved: a restored state
 * (or a copy scored once) is scanned plainly until it has been searched a few times.
 */

/** Searches after which a state gets a sorted order: copies that score a few open buckets never need one. */
const SORT_AFTER = 8;

interface Sorted {
  count: number;
  /** First elements, ascending, and the prototype each belongs to. */
  keys: Float64Array;
  ids: Int32Array;
  /** Position of each prototype in `keys`. */
  pos: Int32Array;
}

export class PrototypeSearch {
  /** Result of the last `find`: index of the nearest prototype (-1: none) and its distance. */
  index = -1;
  distance = Infinity;
  /** The prototype matched or added last: measured first, it gives a close bound at once. */
  private hint = -1;
  private searches = 0;
  private sorted: Sorted | null = null;
  /** A non-finite first element makes the order meaningless: such a state is always scanned plainly. */
  private plainOnly = false;

  /** Finds the prototype of `protos` (`count` of `w` elements) nearest to `shape`. */
  find(protos: readonly number[], count: number, w: number, shape: Float64Array): void {
    this.searches++;
    if (!this.sorted && !this.plainOnly && this.searches > SORT_AFTER) this.sorted = sortedOf(protos, count, w);
    if (this.sorted && this.sorted.count !== count) this.sorted = null; // changed behind our back: rebuild later
    if (!this.sorted) this.plainOnly ||= this.searches > SORT_AFTER;
    [this.index, this.distance] = [-1, Infinity];
    if (this.hint >= 0 && this.hint < count) {
      const d = distanceTo(protos, this.hint, w, shape, Infinity, false);
      if (d < Infinity) [this.index, this.distance] = [this.hint, d];
    }
    if (this.sorted && Number.isFinite(shape[0])) this.walk(protos, w, shape, this.sorted);
    else for (let i = 0; i < count; i++) if (i !== this.hint) this.consider(protos, i, w, shape);
  }

  /** Call after prototype `i` was moved or added (as index `count`): keeps the order and the hint. */
  changed(protos: readonly number[], i: number, w: number): void {
    this.hint = i;
    const s = this.sorted;
    if (!s) return;
    const key = protos[i * w]!;
    if (!Number.isFinite(key) || i > s.count) return void ([this.sorted, this.plainOnly] = [null, true]);
    if (i === s.count) append(s, i, key);
    let p = s.pos[i]!;
    for (; p > 0 && s.keys[p - 1]! > key; p--) place(s, p, s.ids[p - 1]!, s.keys[p - 1]!);
    for (; p < s.count - 1 && s.keys[p + 1]! < key; p++) place(s, p, s.ids[p + 1]!, s.keys[p + 1]!);
    place(s, p, i, key);
  }

  /** Visits prototypes by increasing first-element difference until it exceeds the best distance. */
  private walk(protos: readonly number[], w: number, shape: Float64Array, s: Sorted): void {
    const v0 = shape[0]!;
    let [lo, hi] = [0, s.count];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.keys[mid]! < v0) lo = mid + 1;
      else hi = mid;
    }
    let [left, right] = [lo - 1, lo];
    while (left >= 0 || right < s.count) {
      const boundRight = right < s.count ? s.keys[right]! - v0 : Infinity;
      const boundLeft = left >= 0 ? v0 - s.keys[left]! : Infinity;
      const goRight = boundRight <= boundLeft;
      const p = goRight ? right++ : left--;
      const bound = goRight ? boundRight : boundLeft;
      if (bound > this.distance) break; // the nearer side is too far already, so is the other
      const i = s.ids[p]!;
      if (i !== this.hint && !(bound === this.distance && i > this.index)) this.consider(protos, i, w, shape);
    }
  }

  /** Takes prototype i if it beats the best so far: nearer, or as near with a lower index. */
  private consider(protos: readonly number[], i: number, w: number, shape: Float64Array): void {
    const d = distanceTo(protos, i, w, shape, this.distance, i > this.index);
    if (d < this.distance || (d === this.distance && i < this.index)) [this.index, this.distance] = [i, d];
  }
}

/**
 * Chebyshev distance from prototype i to `shape`; gives up (returning at least `limit`) once it reaches
 * `limit`, or passes it when `tieLoses`.
 */
function distanceTo(protos: readonly number[], i: number, w: number, shape: Float64Array, limit: number, tieLoses: boolean): number {
  let d = 0;
  for (let j = 0; j < w; j++) {
    d = Math.max(d, Math.abs(protos[i * w + j]! - shape[j]!));
    if (d > limit || (tieLoses && d === limit)) return d;
  }
  return d;
}

function sortedOf(protos: readonly number[], count: number, w: number): Sorted | null {
  const size = Math.max(16, count * 2);
  const s: Sorted = { count, keys: new Float64Array(size), ids: new Int32Array(size), pos: new Int32Array(size) };
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(protos[i * w])) return null;
    s.ids[i] = i;
  }
  s.ids.subarray(0, count).sort((a, b) => protos[a * w]! - protos[b * w]!);
  for (let p = 0; p < count; p++) place(s, p, s.ids[p]!, protos[s.ids[p]! * w]!);
  return s;
}

function append(s: Sorted, i: number, key: number): void {
  if (s.count === s.keys.length) {
    const grown = (a: Float64Array | Int32Array) => {
      const b = new (a.constructor as Float64ArrayConstructor | Int32ArrayConstructor)(a.length * 2);
      b.set(a);
      return b;
    };
    [s.keys, s.ids, s.pos] = [grown(s.keys) as Float64Array, grown(s.ids) as Int32Array, grown(s.pos) as Int32Array];
  }
  place(s, s.count++, i, key);
}

function place(s: Sorted, p: number, i: number, key: number): void {
  s.keys[p] = key;
  s.ids[p] = i;
  s.pos[i] = p;
}
