/**
 * The Overview's numbers from the pre-aggregated tables: volume per brand over time, and totals by brand,
 * sentiment, language and source for a range. A range is cut into whole UTC days (daily roll-up), whole hours
 * at its ends (hourly roll-up) and 5-minute buckets at its very ends (`mention_counts`), so the rows read are
 * bounded by days + hours + buckets whatever the volume, and totals are exact to the 5-minute bucket.
 * Same SQL on both dialects.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, MentionRollupTable } from '../db/schema.ts';

const MINUTES_5 = 300_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const BUCKET_MS = { '5m': MINUTES_5, '1h': HOUR_MS, '1d': DAY_MS } as const;
export type OverviewBucket = keyof typeof BUCKET_MS;
export type OverviewDim = 'brand' | 'sentiment' | 'lang' | 'source';

export interface VolumePoint {
  bucket: number;
  brandId: number;
  n: number;
}

export interface Total {
  /** Brand or source id as a string, sentiment label or language code; '' = none. */
  key: string;
  n: number;
}

export type Totals = Record<OverviewDim, Total[]>;

interface Range {
  from: number;
  to: number;
}

/** Where each part of a range is read from. */
interface Piece extends Range {
  grain: 'h' | 'd' | '5m';
}

/** Cuts [from, to) into whole days, whole hours around them and 5-minute buckets at the ends. */
export function cutRange(from: number, to: number): Piece[] {
  const pieces: Piece[] = [];
  const push = (grain: Piece['grain'], a: number, b: number) => a < b && pieces.push({ grain, from: a, to: b });
  const hFrom = Math.min(to, Math.ceil(from / HOUR_MS) * HOUR_MS);
  const hTo = Math.max(hFrom, Math.floor(to / HOUR_MS) * HOUR_MS);
  const dFrom = Math.min(hTo, Math.ceil(hFrom / DAY_MS) * DAY_MS);
  const dTo = Math.max(dFrom, Math.floor(hTo / DAY_MS) * DAY_MS);
  push('5m', from, hFrom);
  push('h', hFrom, dFrom);
  push('d', dFrom, dTo);
  push('h', dTo, hTo);
  push('5m', hTo, to);
  return pieces;
}

/** Mentions per brand and bucket; buckets are whole (the range is widened to bucket boundaries). */
export async function findVolume(db: Kysely<Database>, workspaceId: number, range: Range, bucket: OverviewBucket, brandId?: number): Promise<VolumePoint[]> {
  const size = BUCKET_MS[bucket];
  const from = Math.floor(range.from / size) * size;
  const to = Math.ceil(range.to / size) * size;
  if (bucket === '5m') {
    let q = db.selectFrom('mention_counts as t').innerJoin('brands as b', 'b.id', 't.brand_id').where('b.workspace_id', '=', workspaceId).where('t.bucket', '>=', from).where('t.bucket', '<', to);
    if (brandId !== undefined) q = q.where('t.brand_id', '=', brandId);
    const rows = await q.select(['t.bucket', 't.brand_id', sql<number>`sum(t.n)`.as('n')]).groupBy(['t.bucket', 't.brand_id']).execute();
    return rows.map((r) => ({ bucket: Number(r.bucket), brandId: r.brand_id, n: Number(r.n) }));
  }
  // One 'all' row per brand and hour/day: nothing to group, the primary key gives the rows in order.
  let q = db
    .selectFrom('mention_rollups as t')
    .innerJoin('brands as b', 'b.id', 't.brand_id')
    .where('b.workspace_id', '=', workspaceId)
    .where('t.grain', '=', bucket === '1h' ? 'h' : 'd')
    .where('t.dim', '=', 'all')
    .where('t.bucket', '>=', from)
    .where('t.bucket', '<', to);
  if (brandId !== undefined) q = q.where('t.brand_id', '=', brandId);
  const rows = await q.select(['t.bucket', 't.brand_id', 't.n']).execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), brandId: r.brand_id, n: Number(r.n) }));
}

/** Totals per brand, sentiment, language and source over exactly [from, to) (to the 5-minute bucket). */
export async function findTotals(db: Kysely<Database>, workspaceId: number, range: Range, brandId?: number): Promise<Totals> {
  const acc: Record<OverviewDim, Map<string, number>> = { brand: new Map(), sentiment: new Map(), lang: new Map(), source: new Map() };
  const add = (dim: OverviewDim, key: string, n: number) => acc[dim].set(key, (acc[dim].get(key) ?? 0) + n);
  const parts = await Promise.all(cutRange(range.from, range.to).map((p) => (p.grain === '5m' ? fineCounts(db, workspaceId, p, brandId) : rollupSums(db, workspaceId, p, p.grain, brandId))));
  for (const rows of parts) {
    for (const r of rows) add(r.dim === 'all' ? 'brand' : r.dim, r.dim === 'all' ? String(r.brand_id) : r.value, r.n);
  }
  const sorted = (m: Map<string, number>) => [...m].filter(([, n]) => n > 0).map(([key, n]) => ({ key, n })).sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
  return { brand: sorted(acc.brand), sentiment: sorted(acc.sentiment), lang: sorted(acc.lang), source: sorted(acc.source) };
}

interface DimRow {
  brand_id: number;
  dim: MentionRollupTable['dim'];
  value: string;
  n: number;
}

async function rollupSums(db: Kysely<Database>, workspaceId: number, range: Range, grain: 'h' | 'd', brandId?: number): Promise<DimRow[]> {
  let q = db
    .selectFrom('mention_rollups as r')
    .innerJoin('brands as b', 'b.id', 'r.brand_id')
    .where('b.workspace_id', '=', workspaceId)
    .where('r.grain', '=', grain)
    // Naming every dim lets the primary key (brand, grain, dim, bucket, value) narrow on the time range too.
    .where('r.dim', 'in', ['all', 'sentiment', 'lang', 'source'])
    .where('r.bucket', '>=', range.from)
    .where('r.bucket', '<', range.to);
  if (brandId !== undefined) q = q.where('r.brand_id', '=', brandId);
  const rows = await q.select(['r.brand_id', 'r.dim', 'r.value', sql<number>`sum(r.n)`.as('n')]).groupBy(['r.brand_id', 'r.dim', 'r.value']).execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** The 5-minute table, reshaped like roll-up rows. */
async function fineCounts(db: Kysely<Database>, workspaceId: number, range: Range, brandId?: number): Promise<DimRow[]> {
  let q = db
    .selectFrom('mention_counts as c')
    .innerJoin('brands as b', 'b.id', 'c.brand_id')
    .where('b.workspace_id', '=', workspaceId)
    .where('c.bucket', '>=', range.from)
    .where('c.bucket', '<', range.to);
  if (brandId !== undefined) q = q.where('c.brand_id', '=', brandId);
  const rows = await q.select(['c.brand_id', 'c.sentiment', 'c.lang', 'c.source_id', sql<number>`sum(c.n)`.as('n')]).groupBy(['c.brand_id', 'c.sentiment', 'c.lang', 'c.source_id']).execute();
  return rows.flatMap((r) => {
    const n = Number(r.n);
    return [
      { brand_id: r.brand_id, dim: 'all' as const, value: '', n },
      { brand_id: r.brand_id, dim: 'sentiment' as const, value: r.sentiment, n },
      { brand_id: r.brand_id, dim: 'lang' as const, value: r.lang, n },
      { brand_id: r.brand_id, dim: 'source' as const, value: String(r.source_id), n },
    ];
  });
}
