/** Dead letters: items that could not be stored, with the reason, kept until retried or discarded. */
import type { Kysely } from 'kysely';
import type { Database, DeadLetterRow } from '../db/schema.ts';
import { parseJson } from '../db/json.ts';
import { NotFoundError } from '../lib/errors.ts';

export interface DeadLetter {
  id: number;
  sourceId: number | null;
  externalId: string | null;
  stage: string;
  error: string;
  payload: unknown;
  status: DeadLetterRow['status'];
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

const toDeadLetter = (r: DeadLetterRow): DeadLetter => ({
  id: r.id,
  sourceId: r.source_id,
  externalId: r.external_id,
  stage: r.stage,
  error: r.error,
  payload: parseJson<unknown>(r.payload, null),
  status: r.status,
  attempts: r.attempts,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function listDeadLetters(db: Kysely<Database>, workspaceId: number, f: { status?: DeadLetterRow['status']; sourceId?: number; beforeId?: number }, limit: number): Promise<DeadLetter[]> {
  let q = db.selectFrom('dead_letters').selectAll().where('workspace_id', '=', workspaceId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.sourceId !== undefined) q = q.where('source_id', '=', f.sourceId);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return (await q.orderBy('id', 'desc').limit(limit).execute()).map(toDeadLetter);
}

/** @throws NotFoundError */
export async function getDeadLetter(db: Kysely<Database>, workspaceId: number, id: number): Promise<DeadLetter> {
  const row = await db.selectFrom('dead_letters').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) throw new NotFoundError('dead letter', id);
  return toDeadLetter(row);
}

export async function markDeadLetter(db: Kysely<Database>, id: number, change: { status: DeadLetterRow['status']; error?: string; attempted?: boolean; payload?: unknown }, now: number): Promise<void> {
  const current = await db.selectFrom('dead_letters').select('attempts').where('id', '=', id).executeTakeFirstOrThrow();
  await db
    .updateTable('dead_letters')
    .set({
      status: change.status,
      ...(change.error !== undefined ? { error: change.error.slice(0, 2000) } : {}),
      ...(change.attempted ? { attempts: current.attempts + 1 } : {}),
      ...(change.payload !== undefined ? { payload: JSON.stringify(change.payload) } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function countPendingDeadLetters(db: Kysely<Database>, workspaceId: number, sourceId?: number): Promise<number> {
  let q = db.selectFrom('dead_letters').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).where('status', '=', 'pending');
  if (sourceId !== undefined) q = q.where('source_id', '=', sourceId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
