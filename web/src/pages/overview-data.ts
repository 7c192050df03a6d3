/** Loading and shaping the Overview's numbers: range → bucket size, counts → chart series and share rows. */
import { api, type CountGroup, type CountRow, type TopAuthor } from '../api.ts';

export const RANGES = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 } as const;
export type RangeId = keyof typeof RANGES;

const BUCKET_MS = { '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type Bucket = keyof typeof BUCKET_MS;

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

export interface OverviewData {
  bucket: Bucket;
  xs: number[];
  byBrand: CountRow[];
  totals: Record<CountGroup, Map<string, number>>;
  authors: TopAuthor[];
}

function totalsOf(rows: CountRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(String(r.key), (m.get(String(r.key)) ?? 0) + r.n);
  return new Map([...m].sort((a, b) => b[1] - a[1]));
}

export async function loadOverview(ws: number, f: OverviewFilter, signal: AbortSignal): Promise<OverviewData> {
  const bucket = bucketFor(f.to - f.from);
  const base = { bucket, from: f.from, to: f.to, brand: f.brand };
  const counts = (groupBy: CountGroup) => api.get<{ items: CountRow[] }>(`/workspaces/${ws}/mentions/counts`, { ...base, groupBy }, signal).then((r) => r.items);
  // Daily buckets are enough for the totals; the chart needs the fine ones.
  const coarse = (groupBy: CountGroup) => api.get<{ items: CountRow[] }>(`/workspaces/${ws}/mentions/counts`, { ...base, bucket: '1d', groupBy }, signal).then((r) => r.items);
  const [byBrand, sentiment, lang, source, authors] = await Promise.all([
    counts('brand'), coarse('sentiment'), coarse('lang'), coarse('source'),
    api.get<{ items: TopAuthor[] }>(`/workspaces/${ws}/insights/top-authors`, { from: f.from, to: f.to, brand: f.brand, limit: 10 }, signal).then((r) => r.items),
  ]);
  const step = BUCKET_MS[bucket];
  const xs: number[] = [];
  for (let x = Math.floor(f.from / step) * step; x < f.to; x += step) xs.push(x);
  return { bucket, xs, byBrand, authors, totals: { brand: totalsOf(byBrand), sentiment: totalsOf(sentiment), lang: totalsOf(lang), source: totalsOf(source) } };
}

/** One series per brand (the `max` busiest), aligned to `xs`. */
export function brandSeries(d: OverviewData, max: number): { brandId: number; values: number[] }[] {
  const ids = [...d.totals.brand.keys()].slice(0, max).map(Number);
  const index = new Map(d.xs.map((x, i) => [x, i]));
  return ids.map((brandId) => {
    const values = new Array<number>(d.xs.length).fill(0);
    for (const r of d.byBrand) {
      if (Number(r.key) !== brandId) continue;
      const i = index.get(r.bucket);
      if (i !== undefined) values[i] = (values[i] ?? 0) + r.n;
    }
    return { brandId, values };
  });
}
