/** Handles verified as a person's (migration 007). Only this module touches `person_handles`. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import { inboxDb } from '../inbox/inbox-tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface VerifiedHandle {
  id: number;
  personId: number;
  channel: string;
  handle: string;
  key: string;
  verifiedBy: { id: number; name: string } | null;
  /** What the agent saw, e.g. "she wrote her Mastodon handle in her e-mail of 2 May". */
  evidence: string | null;
  createdAt: number;
}

const select = (db: Db) =>
  inboxDb(db)
    .selectFrom('person_handles as h')
    .leftJoin('users as u', 'u.id', 'h.verified_by')
    .select(['h.id', 'h.person_id', 'h.channel', 'h.handle', 'h.identity_key', 'h.verified_by', 'u.name as verifier', 'h.evidence', 'h.created_at']);

type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;
const toHandle = (r: Row): VerifiedHandle => ({
  id: r.id, personId: r.person_id, channel: r.channel, handle: r.handle, key: r.identity_key,
  verifiedBy: r.verified_by !== null ? { id: r.verified_by, name: r.verifier ?? '' } : null, evidence: r.evidence, createdAt: Number(r.created_at),
});

export async function findVerifiedHandle(db: Db, workspaceId: number, key: string): Promise<VerifiedHandle | undefined> {
  const r = await select(db).where('h.workspace_id', '=', workspaceId).where('h.identity_key', '=', key).executeTakeFirst();
  return r ? toHandle(r) : undefined;
}

export async function listVerifiedHandles(db: Db, personId: number): Promise<VerifiedHandle[]> {
  return (await select(db).where('h.person_id', '=', personId).orderBy('h.id').execute()).map(toHandle);
}

/** @throws ConflictError when the handle is verified for a person of the workspace already. */
export async function insertVerifiedHandle(db: Db, h: { workspaceId: number; personId: number; channel: string; handle: string; key: string; verifiedBy: number | null; evidence: string | null }, now: number): Promise<number> {
  try {
    const r = await inboxDb(db)
      .insertInto('person_handles')
      .values({ workspace_id: h.workspaceId, person_id: h.personId, channel: h.channel, handle: h.handle, identity_key: h.key, verified_by: h.verifiedBy, evidence: h.evidence, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`${h.channel} ${h.handle} is verified for a person already`);
    throw err;
  }
}

/** @throws NotFoundError when the person has no such verified handle. */
export async function deleteVerifiedHandle(db: Db, personId: number, id: number): Promise<void> {
  const r = await inboxDb(db).deleteFrom('person_handles').where('id', '=', id).where('person_id', '=', personId).executeTakeFirst();
  if (Number(r.numDeletedRows) !== 1) throw new NotFoundError('verified handle', id);
}

/** Authors of the workspace on `channel` whose handle is `handle` (normalized, case-insensitive). */
export async function findAuthorIdsByHandle(db: Db, workspaceId: number, channel: string, handle: string): Promise<number[]> {
  const rows = await inboxDb(db)
    .selectFrom('authors')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .where(sql<boolean>`lower(handle) = ${handle}`)
    .execute();
  return rows.map((r) => r.id);
}

/** Gives the verified handles of `fromId` to `intoId` (when people are merged: `fromId` is about to be deleted). */
export async function moveVerifiedHandles(db: Db, fromId: number, intoId: number): Promise<void> {
  await inboxDb(db).updateTable('person_handles').set({ person_id: intoId }).where('person_id', '=', fromId).execute();
}
