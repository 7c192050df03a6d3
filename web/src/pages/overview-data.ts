/** Loading and shaping the Overview's numbers: range → bucket size, API totals → chart series and share rows. */
import { api, type TopAuthor } from '../api.ts';

export const RANGES = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 } as const;
export type RangeId = keyof typeof RANGES;

const BUCKET_MS = { '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type Bucket = keyof typeof BUCKET_MS;
export type Dim = 'brand' | 'sentiment' | 'lang' | 'source';

/** Buckets adapt to the range: about 24–1,000 points whatever the zoom. */
export function bucketFor(spanMs: number): Bucket {
  if (spanMs <= 12 * 3_600_000) return '5m';
  if (spanMs <= 40 * 86_400_000) return '1h';
  return '1d';
}

export interface OverviewFilter {
  from: number;
  to: number;
  brand?: number;
}

interface OverviewResponse {
  bucket: Bucket;
  volume: { bucket: number; brandId: number; n: number }[];
  totals: Record<Dim, { key: string; n: number }[]>;
}

export interface OverviewData {
  bucket: Bucket;
  xs: number[];
  volume: OverviewResponse['volume'];
  /** Per dimension, key → count, biggest first. */
  totals: Record<Dim, Map<string, number>>;
  authors: TopAuthor[];
}

export async function loadOverview(ws: number, f: OverviewFilter, signal: AbortSignal): Promise<OverviewData> {
  const bucket = bucketFor(f.to - f.from);
  const [overview, authors] = await Promise.all([
    api.get<OverviewResponse>(`/workspaces/${ws}/insights/overview`, { from: f.from, to: f.to, bucket, brand: f.brand }, signal),
    api.get<{ items: TopAuthor[] }>(`/workspaces/${ws}/insights/top-authors`, { from: f.from, to: f.to, brand: f.brand, limit: 10 }, signal).then((r) => r.items),
  ]);
  const step = BUCKET_MS[bucket];
  const xs: number[] = [];
  for (let x = Math.floor(f.from / step) * step; x < f.to; x += step) xs.push(x);
  const totals = Object.fromEntries(Object.entries(overview.totals).map(([dim, rows]) => [dim, new Map(rows.map((r) => [r.key, r.n]))])) as Record<Dim, Map<string, number>>;
  return { bucket, xs, volume: overview.volume, authors, totals };
}

/** One series per brand (the `max` busiest), aligned to `xs`. */
export function brandSeries(d: OverviewData, max: number): { brandId: number; values: number[] }[] {
  const ids = [...d.totals.brand.keys()].slice(0, max).map(Number);
  const index = new Map(d.xs.map((x, i) => [x, i]));
  const series = new Map(ids.map((id) => [id, new Array<number>(d.xs.length).fill(0)]));
  for (const p of d.volume) {
    const values = series.get(p.brandId);
    const i = index.get(p.bucket);
    if (values && i !== undefined) values[i] = (values[i] ?? 0) + p.n;
  }
  return ids.map((brandId) => ({ brandId, values: series.get(brandId)! }));
}
