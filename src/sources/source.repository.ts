/** Sources (configured connectors), their cursor, run status, leases and error history. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SourceRow } from '../db/schema.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { parseJson } from '../db/json.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import { openSecrets } from '../lib/secret-box.ts';

export interface SourceRecord {
  id: number;
  workspaceId: number;
  kind: string;
  name: string;
  settings: Record<string, unknown>;
  brandId: number | null;
  enabled: boolean;
  cursor: string | null;
  status: SourceRow['status'];
  lastFetchAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextFetchAt: number;
  itemsStored: number;
  itemsFiltered: number;
  itemsFailed: number;
  createdAt: number;
  updatedAt: number;
}

export interface SourceEvent {
  id: number;
  at: number;
  level: 'info' | 'error';
  message: string;
}

type Db = Kysely<Database> | Transaction<Database>;

export const toSourceRecord = (r: SourceRow): SourceRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  kind: r.kind,
  name: r.name,
  // Secret fields are stored sealed (source.service seals them); callers always see them opened.
  settings: openSecrets(parseJson<Record<string, unknown>>(r.config, {})),
  brandId: r.brand_id,
  enabled: r.enabled === 1,
  cursor: r.cursor,
  status: r.status,
  lastFetchAt: r.last_fetch_at,
  lastSuccessAt: r.last_success_at,
  lastError: r.last_error,
  consecutiveFailures: r.consecutive_failures,
  nextFetchAt: r.next_fetch_at,
  itemsStored: r.items_stored,
  itemsFiltered: r.items_filtered,
  itemsFailed: r.items_failed,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewSource {
  kind: string;
  name: string;
  settings: Record<string, unknown>;
  brandId: number | null;
  enabled: boolean;
}

export async function insertSource(db: Db, workspaceId: number, s: NewSource, now: number): Promise<SourceRecord> {
  try {
    const row = await db
      .insertInto('sources')
      .values({ workspace_id: workspaceId, kind: s.kind, name: s.name, config: JSON.stringify(s.settings), brand_id: s.brandId, enabled: s.enabled ? 1 : 0, status: 'idle', next_fetch_at: now, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSourceRecord(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`A source named "${s.name}" already exists in this workspace`);
    throw err;
  }
}

export interface SourceChanges {
  name?: string;
  settings?: Record<string, unknown>;
  brandId?: number | null;
  enabled?: boolean;
}

/** @throws NotFoundError, ConflictError */
export async function updateSource(db: Db, workspaceId: number, id: number, c: SourceChanges, now: number): Promise<SourceRecord> {
  try {
    const row = await db
      .updateTable('sources')
      .set({
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.settings !== undefined ? { config: JSON.stringify(c.settings) } : {}),
        ...(c.brandId !== undefined ? { brand_id: c.brandId } : {}),
        ...(c.enabled !== undefined ? { enabled: c.enabled ? 1 : 0, next_fetch_at: now } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('source', id);
    return toSourceRecord(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`A source named "${c.name}" already exists in this workspace`);
    throw err;
  }
}

export async function deleteSource(db: Db, workspaceId: number, id: number): Promise<void> {
  const r = await db.deleteFrom('sources').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw new NotFoundError('source', id);
}

export async function listSources(db: Db, workspaceId: number): Promise<SourceRecord[]> {
  const rows = await db.selectFrom('sources').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
  return rows.map(toSourceRecord);
}

/** @throws NotFoundError; with workspaceId null the source may belong to any workspace. */
export async function getSourceById(db: Db, workspaceId: number | null, id: number): Promise<SourceRecord> {
  let q = db.selectFrom('sources').selectAll().where('id', '=', id);
  if (workspaceId !== null) q = q.where('workspace_id', '=', workspaceId);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFoundError('source', id);
  return toSourceRecord(row);
}

export async function findSourceByName(db: Db, workspaceId: number, name: string): Promise<SourceRecord | undefined> {
  const row = await db.selectFrom('sources').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
  return row ? toSourceRecord(row) : undefined;
}

/** Inside the batch transaction: the acknowledgement (cursor) and the counters move together with the data. */
export async function recordBatch(trx: Db, sourceId: number, r: { cursor?: string | null; stored: number; filtered: number; failed: number }, now: number): Promise<void> {
  await trx
    .updateTable('sources')
    .set({
      ...(r.cursor !== undefined ? { cursor: r.cursor } : {}),
      items_stored: sql`items_stored + ${r.stored}`,
      items_filtered: sql`items_filtered + ${r.filtered}`,
      items_failed: sql`items_failed + ${r.failed}`,
      updated_at: now,
    })
    .where('id', '=', sourceId)
    .execute();
}

/**
 * Claims up to `limit` enabled sources that are due, for `owner`, until `leaseUntil`. A claim is a
 * conditional UPDATE, so two processes sharing a PostgreSQL database never run the same source at once.
 */
export async function claimDueSources(db: Kysely<Database>, kinds: string[], owner: string, now: number, leaseUntil: number, limit: number): Promise<SourceRecord[]> {
  if (!kinds.length) return [];
  const due = await db
    .selectFrom('sources')
    .select('id')
    .where('enabled', '=', 1)
    .where('kind', 'in', kinds)
    .where('next_fetch_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_fetch_at')
    .limit(limit)
    .execute();
  const claimed: SourceRecord[] = [];
  for (const { id } of due) {
    const source = await claimSource(db, id, owner, now, leaseUntil);
    if (source) claimed.push(source);
  }
  return claimed;
}

/** Takes the lease of one source if nobody holds it. @returns the source, or null when it is leased. */
export async function claimSource(db: Db, id: number, owner: string, now: number, leaseUntil: number): Promise<SourceRecord | null> {
  const row = await db
    .updateTable('sources')
    .set({ lease_owner: owner, lease_until: leaseUntil, status: 'running', last_fetch_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
  return row ? toSourceRecord(row) : null;
}

/** Makes a source due at `at` (a finished one-shot source is re-opened too). */
export async function scheduleSource(db: Db, id: number, at: number): Promise<void> {
  await db.updateTable('sources').set({ next_fetch_at: at }).where('id', '=', id).execute();
}

export async function renewLease(db: Db, id: number, owner: string, leaseUntil: number): Promise<void> {
  await db.updateTable('sources').set({ lease_until: leaseUntil }).where('id', '=', id).where('lease_owner', '=', owner).execute();
}

export interface RunOutcome {
  ok: boolean;
  error?: string;
  nextFetchAt: number;
  finished?: boolean;
}

/** Ends a run: releases the lease, records success or the error, and schedules the next run. */
export async function finishRun(db: Db, id: number, owner: string, o: RunOutcome, now: number): Promise<void> {
  await db
    .updateTable('sources')
    .set({
      lease_owner: null,
      lease_until: null,
      next_fetch_at: o.nextFetchAt,
      status: o.ok ? (o.finished ? 'finished' : 'ok') : 'error',
      ...(o.ok ? { last_success_at: now, consecutive_failures: 0, last_error: null } : { last_error: o.error ?? 'unknown error', consecutive_failures: sql`consecutive_failures + 1` }),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function addSourceEvent(db: Db, sourceId: number, level: 'info' | 'error', message: string, now: number): Promise<void> {
  await db.insertInto('source_events').values({ source_id: sourceId, at: now, level, message: message.slice(0, 2000) }).execute();
}

export async function listSourceEvents(db: Db, sourceId: number, limit: number): Promise<SourceEvent[]> {
  const rows = await db.selectFrom('source_events').select(['id', 'at', 'level', 'message']).where('source_id', '=', sourceId).orderBy('id', 'desc').limit(limit).execute();
  return rows;
}
