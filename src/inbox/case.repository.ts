/** Cases, their mentions, events and notes. Only this module touches those tables. */
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Database } from '../db/schema.ts';
import { parseJson } from '../db/json.ts';
import { NotFoundError } from '../lib/errors.ts';
import { inboxDb, type CaseRow, type CaseStatus, type CaseTable } from './inbox-tables.ts';
import type { PriorityFactor } from './priority.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Case {
  id: number;
  workspaceId: number;
  brandId: number | null;
  personId: number | null;
  channel: string;
  subject: string;
  status: CaseStatus;
  assigneeId: number | null;
  priority: number;
  priorityFactors: PriorityFactor[];
  intents: string[];
  tags: string[];
  repeatCount: number;
  openedAt: number;
  firstResponseAt: number | null;
  awaitingSince: number | null;
  lastCustomerAt: number;
  lastAgentAt: number | null;
  pendingSince: number | null;
  pausedMs: number;
  resolvedAt: number | null;
  closedAt: number | null;
  slaFlags: string[];
  escalated: boolean;
  updatedAt: number;
}

export type CasePatch = Omit<Updateable<CaseTable>, 'id' | 'workspace_id'>;
export type NewCase = Omit<CaseTable, 'id' | 'tags' | 'repeat_count' | 'paused_ms' | 'sla_flags' | 'escalated'> & { repeat_count: number };

export interface CaseEvent {
  id: number;
  at: number;
  kind: string;
  userId: number | null;
  detail: Record<string, unknown> | null;
}

export interface CaseNote {
  id: number;
  userId: number | null;
  text: string;
  createdAt: number;
}

export const toCase = (r: CaseRow): Case => ({
  id: r.id, workspaceId: r.workspace_id, brandId: r.brand_id, personId: r.person_id, channel: r.channel, subject: r.subject, status: r.status,
  assigneeId: r.assignee_id, priority: r.priority, priorityFactors: parseJson(r.priority_factors, []), intents: parseJson(r.intents, []), tags: parseJson(r.tags, []),
  repeatCount: r.repeat_count, openedAt: r.opened_at, firstResponseAt: r.first_response_at, awaitingSince: r.awaiting_since, lastCustomerAt: r.last_customer_at,
  lastAgentAt: r.last_agent_at, pendingSince: r.pending_since, pausedMs: r.paused_ms, resolvedAt: r.resolved_at, closedAt: r.closed_at,
  slaFlags: parseJson(r.sla_flags, []), escalated: r.escalated === 1, updatedAt: r.updated_at,
});

export async function insertCase(db: Db, c: NewCase): Promise<Case> {
  return toCase(await inboxDb(db).insertInto('cases').values(c).returningAll().executeTakeFirstOrThrow());
}

export async function attachMention(db: Db, caseId: number, mentionId: number, externalId: string, at: number): Promise<void> {
  await inboxDb(db).insertInto('case_mentions').values({ case_id: caseId, mention_id: mentionId, external_id: externalId, at }).onConflict((oc) => oc.columns(['case_id', 'mention_id']).doNothing()).execute();
}

/** The not-closed case of `brandId` holding the message `externalId` (a customer's mention, or a reply we sent). */
export async function findThreadCase(db: Db, workspaceId: number, brandId: number, externalId: string): Promise<Case | undefined> {
  // Start from the message (indexed), not from the workspace's cases.
  const r = await inboxDb(db)
    .selectFrom('cases')
    .selectAll()
    .where((eb) => eb.or([
      eb('id', 'in', eb.selectFrom('case_mentions').select('case_id').where('external_id', '=', externalId)),
      eb('id', 'in', eb.selectFrom('case_replies').select('case_id').where('external_id', '=', externalId)),
    ]))
    .where('workspace_id', '=', workspaceId)
    .where('brand_id', '=', brandId)
    .where('status', '!=', 'closed')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? toCase(r) : undefined;
}

/** The person's open (or pending) case about `brandId`, newest first. */
export async function findOpenCaseOfPerson(db: Db, workspaceId: number, personId: number, brandId: number): Promise<Case | undefined> {
  const r = await inboxDb(db)
    .selectFrom('cases')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .where('brand_id', '=', brandId)
    .where('status', 'in', ['open', 'pending_customer'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? toCase(r) : undefined;
}

/** The not-closed cases holding any of these messages (customer mentions or our replies), with the message id. */
export async function listCasesByMessages(db: Db, workspaceId: number, externalIds: string[]): Promise<{ externalId: string; case: Case }[]> {
  if (!externalIds.length) return [];
  const k = inboxDb(db);
  const viaMentions = k.selectFrom('case_mentions').select(['case_id', 'external_id']).where('external_id', 'in', externalIds);
  const viaReplies = k.selectFrom('case_replies').select(['case_id', 'external_id']).where('external_id', 'in', externalIds);
  const links = await viaMentions.union(viaReplies.$castTo<{ case_id: number; external_id: string }>()).execute();
  if (!links.length) return [];
  const rows = await k.selectFrom('cases').selectAll().where('id', 'in', [...new Set(links.map((l) => l.case_id))]).where('workspace_id', '=', workspaceId).where('status', '!=', 'closed').execute();
  const byId = new Map(rows.map((r) => [r.id, toCase(r)]));
  return links.filter((l) => byId.has(l.case_id)).map((l) => ({ externalId: l.external_id, case: byId.get(l.case_id)! }));
}

/** The open and pending cases of these people. */
export async function listOpenCasesOfPeople(db: Db, workspaceId: number, personIds: number[]): Promise<Case[]> {
  if (!personIds.length) return [];
  const rows = await inboxDb(db).selectFrom('cases').selectAll().where('workspace_id', '=', workspaceId).where('person_id', 'in', personIds).where('status', 'in', ['open', 'pending_customer']).execute();
  return rows.map(toCase);
}

export async function countCasesOfPersonSince(db: Db, personId: number, since: number): Promise<number> {
  const r = await inboxDb(db).selectFrom('cases').select((e) => e.fn.countAll<number>().as('n')).where('person_id', '=', personId).where('opened_at', '>', since).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listCaseOpeningsOfPerson(db: Db, personId: number): Promise<Case[]> {
  return (await inboxDb(db).selectFrom('cases').selectAll().where('person_id', '=', personId).orderBy('opened_at', 'desc').limit(200).execute()).map(toCase);
}

/** @throws NotFoundError */
export async function getCase(db: Db, workspaceId: number, id: number): Promise<Case> {
  const r = await inboxDb(db).selectFrom('cases').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!r) throw new NotFoundError('case', id);
  return toCase(r);
}

/** For background work that starts from a reply or an event. @throws NotFoundError */
export async function getCaseById(db: Db, id: number): Promise<Case> {
  const r = await inboxDb(db).selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError('case', id);
  return toCase(r);
}

/**
 * Applies `patch` when the case is still in `expectStatus` (when given).
 * @returns the changed case, or undefined when the status had changed meanwhile.
 */
export async function patchCase(db: Db, id: number, patch: CasePatch, expectStatus?: CaseStatus): Promise<Case | undefined> {
  let q = inboxDb(db).updateTable('cases').set(patch).where('id', '=', id);
  if (expectStatus) q = q.where('status', '=', expectStatus);
  const r = await q.returningAll().executeTakeFirst();
  return r ? toCase(r) : undefined;
}

/**
 * Records newly announced SLA flags (and the escalation patch) only if the flags are unchanged since read,
 * so two processes never announce the same warning twice. @returns false when another process got there first.
 */
export async function addSlaFlags(db: Db, c: Case, flags: string[], patch: CasePatch): Promise<boolean> {
  const r = await inboxDb(db)
    .updateTable('cases')
    .set({ ...patch, sla_flags: JSON.stringify([...c.slaFlags, ...flags]) })
    .where('id', '=', c.id)
    .where('sla_flags', '=', JSON.stringify(c.slaFlags))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface CaseFilter {
  status?: CaseStatus[];
  assigneeId?: number | null;
  brandId?: number;
  personId?: number;
  tag?: string;
}

/** Highest priority first, then newest. */
export async function listCases(db: Db, workspaceId: number, f: CaseFilter, limit: number, offset: number): Promise<Case[]> {
  let q = inboxDb(db).selectFrom('cases').selectAll().where('workspace_id', '=', workspaceId);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.assigneeId !== undefined) q = f.assigneeId === null ? q.where('assignee_id', 'is', null) : q.where('assignee_id', '=', f.assigneeId);
  if (f.brandId !== undefined) q = q.where('brand_id', '=', f.brandId);
  if (f.personId !== undefined) q = q.where('person_id', '=', f.personId);
  if (f.tag) q = q.where('tags', 'like', `%${JSON.stringify(f.tag).replace(/[%_]/g, '')}%`);
  const rows = await q.orderBy('escalated', 'desc').orderBy('priority', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
  return rows.map(toCase);
}

/** Open and pending cases of every workspace opened after `since`, for the SLA check. */
export async function listActiveCases(db: Db, since: number, limit: number): Promise<Case[]> {
  const rows = await inboxDb(db).selectFrom('cases').selectAll().where('status', 'in', ['open', 'pending_customer']).where('opened_at', '>', since).orderBy('id').limit(limit).execute();
  return rows.map(toCase);
}

export async function listCaseMentionIds(db: Db, caseId: number): Promise<number[]> {
  return (await inboxDb(db).selectFrom('case_mentions').select('mention_id').where('case_id', '=', caseId).orderBy('at').orderBy('mention_id').execute()).map((r) => r.mention_id);
}

export async function insertEvent(db: Db, caseId: number, kind: string, userId: number | null, detail: Record<string, unknown> | null, at: number): Promise<void> {
  await inboxDb(db).insertInto('case_events').values({ case_id: caseId, kind, user_id: userId, detail: detail ? JSON.stringify(detail) : null, at }).execute();
}

export async function listEvents(db: Db, caseId: number): Promise<CaseEvent[]> {
  const rows = await inboxDb(db).selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, at: r.at, kind: r.kind, userId: r.user_id, detail: parseJson(r.detail, null) }));
}

export async function insertNote(db: Db, caseId: number, userId: number | null, text: string, at: number): Promise<CaseNote> {
  const r = await inboxDb(db).insertInto('case_notes').values({ case_id: caseId, user_id: userId, text, created_at: at }).returningAll().executeTakeFirstOrThrow();
  return { id: r.id, userId: r.user_id, text: r.text, createdAt: r.created_at };
}

export async function listNotes(db: Db, caseId: number): Promise<CaseNote[]> {
  const rows = await inboxDb(db).selectFrom('case_notes').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, userId: r.user_id, text: r.text, createdAt: r.created_at }));
}
