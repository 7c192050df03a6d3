/**
 * SLA notices (migration 007): in-app notices for users and the outbox of SLA e-mails and channel messages.
 * Only this module touches `inbox_notices`. Inserts ignore a repeated `dedupe_key`, so a notice for the same
 * case, SLA flag, recipient and delivery is stored (and sent) once.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { parseJson } from '../db/json.ts';
import { NotFoundError } from '../lib/errors.ts';
import { inboxDb, type InboxNoticeTable, type NoticeDelivery, type NoticeStatus } from './inbox-tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Notice {
  id: number;
  workspaceId: number;
  caseId: number;
  userId: number | null;
  channelId: number | null;
  kind: InboxNoticeTable['kind'];
  objective: string;
  delivery: NoticeDelivery;
  target: string | null;
  detail: NoticeDetail;
  status: NoticeStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  readAt: number | null;
}

/** assignee; admin; admin-unassigned (nobody is assigned); escalation-user (the policy's); alert-channel. */
export type NoticeReason = 'assignee' | 'admin' | 'admin-unassigned' | 'escalation-user' | 'alert-channel';

/** What a notice says, frozen when it was raised. */
export interface NoticeDetail {
  subject: string;
  dueAt: number | null;
  elapsedMs: number;
  targetMs: number;
  /** Why this recipient is told. */
  because: NoticeReason;
}

/** A notice to raise: what it is about and for whom, plus the key that keeps it from being raised twice. */
export type NewNotice = Pick<Notice, 'workspaceId' | 'caseId' | 'userId' | 'channelId' | 'kind' | 'objective' | 'delivery' | 'target' | 'detail'> & { dedupeKey: string };

type Row = Awaited<ReturnType<ReturnType<typeof selectNotices>['executeTakeFirstOrThrow']>>;
const selectNotices = (db: Db) => inboxDb(db).selectFrom('inbox_notices').selectAll();

const toNotice = (r: Row): Notice => ({
  id: r.id, workspaceId: r.workspace_id, caseId: r.case_id, userId: r.user_id, channelId: r.channel_id, kind: r.kind, objective: r.objective,
  delivery: r.delivery, target: r.target, detail: parseJson<NoticeDetail>(r.detail, { subject: '', dueAt: null, elapsedMs: 0, targetMs: 0, because: 'admin' }),
  status: r.status, attempts: r.attempts, lastError: r.last_error, createdAt: Number(r.created_at), sentAt: r.sent_at === null ? null : Number(r.sent_at), readAt: r.read_at === null ? null : Number(r.read_at),
});

/** Stores the notices; in-app ones are delivered by being stored. @returns how many were new. */
export async function insertNotices(db: Db, notices: NewNotice[], now: number): Promise<number> {
  if (!notices.length) return 0;
  const rows = notices.map((n) => ({
    workspace_id: n.workspaceId, case_id: n.caseId, user_id: n.userId, channel_id: n.channelId, kind: n.kind, objective: n.objective, delivery: n.delivery, target: n.target,
    dedupe_key: n.dedupeKey, detail: JSON.stringify(n.detail), status: (n.delivery === 'in_app' ? 'sent' : 'pending') as NoticeStatus,
    next_attempt_at: n.delivery === 'in_app' ? null : now, created_at: now, sent_at: n.delivery === 'in_app' ? now : null,
  }));
  const r = await inboxDb(db).insertInto('inbox_notices').values(rows).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/** A user's in-app notices, newest first. */
export async function listUserNotices(db: Db, userId: number, unreadOnly: boolean, limit: number): Promise<Notice[]> {
  let q = selectNotices(db).where('user_id', '=', userId).where('delivery', '=', 'in_app').orderBy('id', 'desc').limit(limit);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  return (await q.execute()).map(toNotice);
}

/** Every notice raised for a case (all recipients and deliveries), oldest first. */
export async function listCaseNotices(db: Db, caseId: number): Promise<Notice[]> {
  return (await selectNotices(db).where('case_id', '=', caseId).orderBy('id').execute()).map(toNotice);
}

/** @throws NotFoundError when the notice is not the user's. */
export async function markNoticeRead(db: Db, userId: number, id: number, now: number): Promise<void> {
  const r = await inboxDb(db).updateTable('inbox_notices').set({ read_at: now }).where('id', '=', id).where('user_id', '=', userId).where('delivery', '=', 'in_app').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new NotFoundError('notice', id);
}

export async function listDueNotices(db: Db, now: number, limit: number): Promise<Notice[]> {
  return (await selectNotices(db).where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('id').limit(limit).execute()).map(toNotice);
}

/** pending → sending, only if nobody claimed it meanwhile (another process). */
export async function claimNotice(db: Db, id: number): Promise<boolean> {
  const r = await inboxDb(db).updateTable('inbox_notices').set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1) })).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markNoticeSent(db: Db, id: number, now: number): Promise<void> {
  await inboxDb(db).updateTable('inbox_notices').set({ status: 'sent', sent_at: now, last_error: null, next_attempt_at: null }).where('id', '=', id).execute();
}

/** `nextAttemptAt` null: failed for good; else pending again until then. */
export async function markNoticeFailed(db: Db, id: number, error: string, nextAttemptAt: number | null): Promise<void> {
  await inboxDb(db).updateTable('inbox_notices').set({ status: nextAttemptAt === null ? 'failed' : 'pending', last_error: error.slice(0, 2000), next_attempt_at: nextAttemptAt }).where('id', '=', id).execute();
}
