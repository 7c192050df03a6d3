/** The audit log: who did what, when, from where. Append-only; only this module touches `audit_log`. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { parseJson } from '../db/json.ts';
import { inboxDb } from '../inbox/inbox-tables.ts';

export interface AuditEntry {
  id: number;
  at: number;
  userId: number | null;
  /** Who acted: the user's e-mail, "token:<name>", "anonymous (auth off)" or "system". */
  actor: string;
  /** What happened: a domain action ("login.failure") or the route ("POST /api/workspaces/:workspaceId/brands"). */
  action: string;
  workspaceId: number | null;
  subject: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export async function insertAudit(db: Kysely<Database>, e: NewAuditEntry, now: number): Promise<void> {
  await inboxDb(db)
    .insertInto('audit_log')
    .values({ at: now, user_id: e.userId, actor: e.actor, action: e.action, workspace_id: e.workspaceId, subject: e.subject, detail: e.detail ? JSON.stringify(e.detail) : null, ip: e.ip })
    .execute();
}

export interface AuditFilter {
  workspaceId?: number;
  userId?: number;
  /** Part of the action, case-insensitive: "login", "PATCH /api/users", "failure". */
  action?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  beforeId?: number;
}

/** Newest first; `beforeId` pages backwards. */
export async function listAudit(db: Kysely<Database>, f: AuditFilter, limit: number): Promise<AuditEntry[]> {
  let q = inboxDb(db).selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
  if (f.workspaceId !== undefined) q = q.where('workspace_id', '=', f.workspaceId);
  if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
  if (f.action) q = q.where(sql<boolean>`lower(action) like ${`%${f.action.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape ${'\\'}`);
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<', f.to);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, at: r.at, userId: r.user_id, actor: r.actor, action: r.action, workspaceId: r.workspace_id, subject: r.subject, detail: parseJson(r.detail, null), ip: r.ip }));
}
