/**
 * Radar streams and their points. Stream updates are conditional on `version`, so that two processes
 * sharing a PostgreSQL database never both advance a stream from the same state.
 */
import { sql } from 'kysely';
import type SQLite from 'better-sqlite3';
import { preparedStatement } from '../db/sqlite-statements.ts';
import { parseJson } from '../db/json.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { RadarState } from './detectors/radar.detector.ts';
import type { RadarDb, RadarPointRow, RadarStreamRow, StreamKind } from './radar.schema.ts';

/** Every column but the (large) detector state, which is read only when not cached. */
const COLUMNS = ['id', 'workspace_id', 'brand_id', 'kind', 'topic', 'open_bucket', 'open_count', 'last_score', 'version', 'updated_at'] as const;
import type { StreamPoint } from './stream-advance.ts';
import { streamKeyId, type StreamKey } from './stream-deltas.ts';

/** The stream's first unclosed bucket and the count of its newest open bucket. */
export interface OpenBucket {
  openBucket: number;
  openCount: number;
}

/** A stream as services and the API see it. */
export interface RadarStream {
  id: number;
  workspaceId: number;
  brandId: number;
  kind: StreamKind;
  topic: string;
  version: number;
  open: OpenBucket;
  lastScore: number;
  updatedAt: number;
}

function toStream(r: Omit<RadarStreamRow, 'state'>): RadarStream {
  return {
    id: r.id, workspaceId: r.workspace_id, brandId: r.brand_id, kind: r.kind, topic: r.topic, version: r.version,
    open: { openBucket: Number(r.open_bucket), openCount: r.open_count },
    lastScore: r.last_score, updatedAt: Number(r.updated_at),
  };
}

/** The streams for these keys, created (empty) where missing. @returns them by `streamKeyId`. */
export async function ensureStreams(db: RadarDb, workspaceId: number, keys: StreamKey[], now: number): Promise<Map<string, RadarStream>> {
  if (!keys.length) return new Map();
  const rows = keys.map((k) => ({ workspace_id: workspaceId, brand_id: k.brandId, kind: k.kind, topic: k.topic, open_bucket: 0, open_count: 0, state: null, last_score: 0, version: 0, updated_at: now }));
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('radar_streams').values(rows.slice(i, i + 500)).onConflict((oc) => oc.columns(['brand_id', 'kind', 'topic']).doNothing()).execute();
  }
  const brandIds = [...new Set(keys.map((k) => k.brandId))];
  const found = await db.selectFrom('radar_streams').select(COLUMNS).where('workspace_id', '=', workspaceId).where('brand_id', 'in', brandIds).execute();
  const wanted = new Set(keys.map(streamKeyId));
  const out = new Map<string, RadarStream>();
  for (const r of found) {
    const s = toStream(r);
    if (wanted.has(streamKeyId(s))) out.set(streamKeyId(s), s);
  }
  return out;
}

/** Detector states (null before a stream's first closed bucket), by stream id. */
export async function loadStates(db: RadarDb, ids: number[]): Promise<Map<number, RadarState | null>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('radar_streams').select(['id', 'state']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, parseJson<RadarState | null>(r.state, null)]));
}

/**
 * @param state the detector state as JSON when it changed (buckets were closed); undefined keeps the stored one.
 * @returns false when another process advanced the stream first (the caller retries from fresh state).
 */
export async function saveStream(db: RadarDb, stream: RadarStream, open: OpenBucket, state: string | undefined, lastScore: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('radar_streams')
    .set({ open_bucket: open.openBucket, open_count: open.openCount, ...(state !== undefined ? { state } : {}), last_score: lastScore, version: stream.version + 1, updated_at: now })
    .where('id', '=', stream.id)
    .where('version', '=', stream.version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Writes the scores of closed and open points (the open buckets' are provisional). The counts are left as they
 * are: batches add to them in their own transactions (`addCounts`), possibly while this round runs, and a
 * round's copy of a count may already be behind.
 * @param sqlite the raw connection on SQLite: one prepared statement per point instead of compiling multi-row inserts.
 */
export async function upsertPoints(db: RadarDb, sqlite: SQLite.Database | undefined, streamId: number, points: StreamPoint[]): Promise<void> {
  const rows = points.map((p) => ({
    stream_id: streamId, bucket: p.bucket, n: p.n, score: p.score,
    expected: p.band?.expected ?? null, lo: p.band?.lo ?? null, hi: p.band?.hi ?? null, closed: p.closed ? 1 : 0,
  }));
  if (sqlite) {
    const upsert = preparedStatement(sqlite, `INSERT INTO radar_points (stream_id, bucket, n, score, expected, lo, hi, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (stream_id, bucket) DO UPDATE SET score = excluded.score, expected = excluded.expected, lo = excluded.lo, hi = excluded.hi, closed = excluded.closed`);
    for (const r of rows) upsert.run(r.stream_id, r.bucket, r.n, r.score, r.expected, r.lo, r.hi, r.closed);
    return;
  }
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('radar_points')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['stream_id', 'bucket']).doUpdateSet((eb) => ({
        score: eb.ref('excluded.score'), expected: eb.ref('excluded.expected'),
        lo: eb.ref('excluded.lo'), hi: eb.ref('excluded.hi'), closed: eb.ref('excluded.closed'),
      })))
      .execute();
  }
}

/**
 * Adds mentions to buckets' counts: open buckets (`closed` false, scored later) or buckets already closed
 * (late mentions: the chart stays true, scores stay as they were). An existing row keeps its closed flag.
 * @param sqlite as for `upsertPoints`.
 */
export async function addCounts(db: RadarDb, sqlite: SQLite.Database | undefined, streamId: number, counts: Map<number, number>, closed: boolean): Promise<void> {
  if (sqlite) {
    const add = preparedStatement(sqlite, `INSERT INTO radar_points (stream_id, bucket, n, score, expected, lo, hi, closed) VALUES (?, ?, ?, 0, NULL, NULL, NULL, ?)
      ON CONFLICT (stream_id, bucket) DO UPDATE SET n = radar_points.n + excluded.n`);
    for (const [bucket, n] of counts) add.run(streamId, bucket, n, closed ? 1 : 0);
    return;
  }
  const rows = [...counts].map(([bucket, n]) => ({ stream_id: streamId, bucket, n, score: 0, expected: null, lo: null, hi: null, closed: closed ? 1 : 0 }));
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('radar_points').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['stream_id', 'bucket']).doUpdateSet({ n: sql`radar_points.n + excluded.n` }))
      .execute();
  }
}

/** Counts of the stream's open buckets (from `from` on), by bucket. */
export async function listOpenCounts(db: RadarDb, streamId: number, from: number): Promise<Map<number, number>> {
  const rows = await db.selectFrom('radar_points').select(['bucket', 'n']).where('stream_id', '=', streamId).where('closed', '=', 0).where('bucket', '>=', from).execute();
  return new Map(rows.map((r) => [Number(r.bucket), r.n]));
}

/** Streams whose open bucket lies before `bucket` (the clock has moved past it) and that have not changed since `quietSince`, oldest first. */
export async function listStaleStreams(db: RadarDb, bucket: number, quietSince: number, limit: number): Promise<RadarStream[]> {
  const rows = await db.selectFrom('radar_streams').select(COLUMNS).where('open_bucket', '>', 0).where('open_bucket', '<', bucket).where('updated_at', '<', quietSince).orderBy('open_bucket').limit(limit).execute();
  return rows.map(toStream);
}

export async function listStreams(db: RadarDb, workspaceId: number, filter: { brandId?: number; kind?: StreamKind }): Promise<RadarStream[]> {
  let q = db.selectFrom('radar_streams').select(COLUMNS).where('workspace_id', '=', workspaceId);
  if (filter.brandId !== undefined) q = q.where('brand_id', '=', filter.brandId);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  return (await q.orderBy('brand_id').orderBy('kind').orderBy('topic').execute()).map(toStream);
}

/** @throws NotFoundError when the stream is not in the workspace. */
export async function getStreamById(db: RadarDb, workspaceId: number, id: number): Promise<RadarStream> {
  const r = await db.selectFrom('radar_streams').select(COLUMNS).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError('radar stream', id);
  return toStream(r);
}

export interface RadarPoint {
  bucket: number;
  n: number;
  score: number;
  expected: number | null;
  lo: number | null;
  hi: number | null;
  closed: boolean;
}

/** Points of a stream in [from, to), in time order. */
export async function listPoints(db: RadarDb, streamId: number, from: number, to: number): Promise<RadarPoint[]> {
  const rows: RadarPointRow[] = await db.selectFrom('radar_points').selectAll().where('stream_id', '=', streamId).where('bucket', '>=', from).where('bucket', '<', to).orderBy('bucket').execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), n: r.n, score: r.score, expected: r.expected, lo: r.lo, hi: r.hi, closed: r.closed === 1 }));
}
