/** Outgoing replies of cases and their delivery state. Only this module touches `case_replies`. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { NotFoundError } from '../lib/errors.ts';
import { inboxDb, type CaseReplyRow, type ReplyStatus } from './inbox-tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface CaseReply {
  id: number;
  caseId: number;
  userId: number | null;
  /** The customer message answered. */
  mentionId: number | null;
  channel: string;
  /** The agent's text, kept whatever happens to the delivery. */
  text: string;
  /** queued → sending → sent | failed (retried until given up); recorded = answered outside Earshot. */
  status: ReplyStatus;
  attempts: number;
  lastError: string | null;
  /** The channel's id of the sent message (e-mail Message-ID, status id, post uri). */
  externalId: string | null;
  nextAttemptAt: number | null;
  sentAt: number | null;
  createdAt: number;
}

const toReply = (r: CaseReplyRow): CaseReply => ({
  id: r.id, caseId: r.case_id, userId: r.user_id, mentionId: r.mention_id, channel: r.channel, text: r.text, status: r.status, attempts: r.attempts,
  lastError: r.last_error, externalId: r.external_id, nextAttemptAt: r.next_attempt_at, sentAt: r.sent_at, createdAt: r.created_at,
});

export async function insertReply(db: Db, r: { caseId: number; userId: number | null; mentionId: number | null; channel: string; text: string; status: ReplyStatus; externalId?: string | null; sentAt?: number | null }, now: number): Promise<CaseReply> {
  const row = await inboxDb(db)
    .insertInto('case_replies')
    .values({ case_id: r.caseId, user_id: r.userId, mention_id: r.mentionId, channel: r.channel, text: r.text, status: r.status, external_id: r.externalId ?? null, sent_at: r.sentAt ?? null, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toReply(row);
}

export async function getReply(db: Db, id: number): Promise<CaseReply> {
  const r = await inboxDb(db).selectFrom('case_replies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError('reply', id);
  return toReply(r);
}

export async function listReplies(db: Db, caseId: number): Promise<CaseReply[]> {
  return (await inboxDb(db).selectFrom('case_replies').selectAll().where('case_id', '=', caseId).orderBy('id').execute()).map(toReply);
}

/** Claims a queued or failed reply for one delivery attempt. @returns false when another worker has it or it was sent. */
export async function claimReply(db: Db, id: number, now: number): Promise<boolean> {
  const r = await inboxDb(db)
    .updateTable('case_replies')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: now, next_attempt_at: null }))
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markSent(db: Db, id: number, externalId: string | null, now: number): Promise<void> {
  await inboxDb(db).updateTable('case_replies').set({ status: 'sent', external_id: externalId, sent_at: now, last_error: null, updated_at: now }).where('id', '=', id).execute();
}

export async function markFailed(db: Db, id: number, error: string, nextAttemptAt: number | null, now: number): Promise<void> {
  await inboxDb(db).updateTable('case_replies').set({ status: 'failed', last_error: error.slice(0, 2000), next_attempt_at: nextAttemptAt, updated_at: now }).where('id', '=', id).execute();
}

/** Failed replies whose next attempt is due, and replies stuck in "sending" (a process died mid-send). */
export async function listDueRetries(db: Db, now: number, stuckBefore: number, limit: number): Promise<{ due: CaseReply[]; stuck: CaseReply[] }> {
  const k = inboxDb(db);
  const due = await k.selectFrom('case_replies').selectAll().where('status', '=', 'failed').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(limit).execute();
  const stuck = await k.selectFrom('case_replies').selectAll().where('status', '=', 'sending').where('updated_at', '<', stuckBefore).limit(limit).execute();
  return { due: due.map(toReply), stuck: stuck.map(toReply) };
}
