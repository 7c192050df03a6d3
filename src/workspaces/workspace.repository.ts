import type { Kysely } from 'kysely';
import type { Database, WorkspaceRow } from '../db/schema.ts';
import { NotFoundError } from '../lib/errors.ts';

export interface Workspace {
  id: number;
  name: string;
  createdAt: number;
}

const toWorkspace = (r: WorkspaceRow): Workspace => ({ id: r.id, name: r.name, createdAt: r.created_at });

export async function insertWorkspace(db: Kysely<Database>, name: string, now: number): Promise<Workspace> {
  const row = await db.insertInto('workspaces').values({ name, created_at: now }).returningAll().executeTakeFirstOrThrow();
  return toWorkspace(row);
}

export async function listWorkspaces(db: Kysely<Database>): Promise<Workspace[]> {
  const rows = await db.selectFrom('workspaces').selectAll().orderBy('id').execute();
  return rows.map(toWorkspace);
}

/** @throws NotFoundError when there is no such workspace. */
export async function getWorkspaceById(db: Kysely<Database>, id: number): Promise<Workspace> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('workspace', id);
  return toWorkspace(row);
}
