/**
 * Deterministic synthetic streams for the detectors' tests and benchmarks: seasonal metrics and
 * Poisson mention counts with a known surge, so that "the surge alerts, the rhythm does not" is checkable.
 */
import { DAY_MS } from './detector.ts';

/** A small seeded PRNG (mulberry32): the same seed gives the same stream on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function poisson(rand: () => number, rate: number): number {
  // Knuth's method is fine for the small rates of a 5-minute bucket; large rates use the normal limit.
  if (rate > 50) return Math.max(0, Math.round(rate + Math.sqrt(rate) * gaussian(rand)));
  const limit = Math.exp(-rate);
  let k = 0;
  for (let p = rand(); p > limit; p *= rand()) k++;
  return k;
}

export interface SyntheticPoint {
  t: number;
  value: number;
}

export interface SyntheticOptions {
  seed: number;
  days: number;
  bucketMs: number;
  /** Bucket indices [from, to) where the surge happens, and its size. */
  surge?: { from: number; to: number; factor: number };
}

const START = Date.UTC(2024, 0, 1);

function dailyShape(t: number): number {
  return Math.sin((2 * Math.PI * (t % DAY_MS)) / DAY_MS);
}

/** A seasonal metric: 100 ± 50 over the day, Gaussian noise σ = 5; the surge adds factor × 50. */
export function seasonalMetric(o: SyntheticOptions): SyntheticPoint[] {
  const rand = seededRandom(o.seed);
  const n = Math.round((o.days * DAY_MS) / o.bucketMs);
  return Array.from({ length: n }, (_, i) => {
    const t = START + i * o.bucketMs;
    const surge = o.surge && i >= o.surge.from && i < o.surge.to ? o.surge.factor * 50 : 0;
    return { t, value: 100 + 50 * dailyShape(t) + 5 * gaussian(rand) + surge };
  });
}

/**
 * Mention counts per bucket: Poisson around a daily rhythm (mean `rate`, ±60 % over the day) that grows
 * by `growthPerDay`; during the surge the rate is multiplied by its factor.
 */
export function mentionCounts(o: SyntheticOptions & { rate: number; growthPerDay: number }): SyntheticPoint[] {
  const rand = seededRandom(o.seed);
  const n = Math.round((o.days * DAY_MS) / o.bucketMs);
  return Array.from({ length: n }, (_, i) => {
    const t = START + i * o.bucketMs;
    const growth = Math.pow(1 + o.growthPerDay, (t - START) / DAY_MS);
    const surge = o.surge && i >= o.surge.from && i < o.surge.to ? o.surge.factor : 1;
    return { t, value: poisson(rand, o.rate * (1 + 0.6 * dailyShape(t)) * growth * surge) };
  });
}
