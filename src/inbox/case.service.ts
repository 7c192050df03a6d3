/** Case rules: status changes (with the SLA pause), assignment, tags, notes, and the case views. */
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ValidationError } from '../lib/errors.ts';
import { canNoteCase, canUpdateCase, ensure, type Principal } from '../accounts/permissions.ts';
import { getUserById } from '../accounts/user.repository.ts';
import type { Mention } from '../mentions/mention.ts';
import { businessMsBetween } from './business-hours.ts';
import { getInboxSettings } from './inbox-settings.repository.ts';
import { getMentionsByIds } from './mention-lookup.repository.ts';
import { listReplies, type CaseReply } from './reply.repository.ts';
import { listCaseNotices, type Notice } from './notice.repository.ts';
import { slaClocks, type SlaClock, type SlaPolicy } from './sla.ts';
import { assignRoundRobin } from './intake.service.ts';
import * as repo from './case.repository.ts';
import type { CaseStatus } from './inbox-tables.ts';

export const caseStatus = z.enum(['open', 'pending_customer', 'resolved', 'closed']);
export const caseChanges = z.object({
  status: caseStatus.optional(),
  /** A user id, null to unassign, or "round-robin". */
  assigneeId: z.union([z.number().int().positive(), z.null(), z.literal('round-robin')]).optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
});
export type CaseChanges = z.output<typeof caseChanges>;

export interface CaseSummary extends repo.Case {
  sla: SlaClock[];
}

export interface CaseView extends CaseSummary {
  mentions: Mention[];
  replies: CaseReply[];
  notes: repo.CaseNote[];
  events: repo.CaseEvent[];
  /** SLA notices raised for the case: who was told (in-app, e-mail, alert channel) and whether it went out. */
  notices: Notice[];
}

export const withSla = (c: repo.Case, policy: SlaPolicy, now: number): CaseSummary => ({ ...c, sla: c.status === 'closed' ? [] : slaClocks(c, policy, now) });

export async function listCaseQueue(ctx: AppContext, workspaceId: number, f: repo.CaseFilter, limit: number, offset: number): Promise<CaseSummary[]> {
  const { sla } = await getInboxSettings(ctx.db.kysely, workspaceId);
  const now = ctx.clock.now();
  return (await repo.listCases(ctx.db.kysely, workspaceId, f, limit, offset)).map((c) => withSla(c, sla, now));
}

export async function getCaseView(ctx: AppContext, workspaceId: number, id: number): Promise<CaseView> {
  const c = await repo.getCase(ctx.db.kysely, workspaceId, id);
  const { sla } = await getInboxSettings(ctx.db.kysely, workspaceId);
  const [mentions, replies, notes, events, notices] = await Promise.all([
    repo.listCaseMentionIds(ctx.db.kysely, id).then((ids) => getMentionsByIds(ctx.db.kysely, workspaceId, ids)),
    listReplies(ctx.db.kysely, id),
    repo.listNotes(ctx.db.kysely, id),
    repo.listEvents(ctx.db.kysely, id),
    listCaseNotices(ctx.db.kysely, id),
  ]);
  return { ...withSla(c, sla, ctx.clock.now()), mentions, replies, notes, events, notices };
}

/** The columns a status change sets, including the SLA pause bookkeeping. */
export function statusPatch(c: repo.Case, to: CaseStatus, policy: SlaPolicy, now: number): repo.CasePatch {
  const patch: repo.CasePatch = { status: to };
  if (c.pendingSince !== null && to !== 'pending_customer') {
    patch.paused_ms = c.pausedMs + businessMsBetween(c.pendingSince, now, policy.businessHours);
    patch.pending_since = null;
  }
  if (to === 'pending_customer' && c.pendingSince === null) patch.pending_since = now;
  if (to === 'resolved' || to === 'closed') {
    patch.resolved_at = c.resolvedAt ?? now;
    patch.awaiting_since = null;
  }
  if (to === 'closed') patch.closed_at = now;
  if (to === 'open' || to === 'pending_customer') Object.assign(patch, { resolved_at: null, closed_at: null });
  return patch;
}

/** @throws AppError forbidden (viewers), NotFoundError, ValidationError (unknown or unavailable assignee). */
export async function updateCase(ctx: AppContext, p: Principal, workspaceId: number, id: number, ch: CaseChanges): Promise<CaseSummary> {
  ensure(canUpdateCase(p), 'change cases');
  if (typeof ch.assigneeId === 'number') {
    const u = await getUserById(ctx.db.kysely, ch.assigneeId).catch(() => null);
    if (!u || u.disabled || u.role === 'viewer') throw new ValidationError('The assignee must be an enabled agent or admin', { assigneeId: 'not an agent' });
  }
  const { sla } = await getInboxSettings(ctx.db.kysely, workspaceId);
  const now = ctx.clock.now();
  const updated = await ctx.db.kysely.transaction().execute(async (trx) => {
    let c = await repo.getCase(trx, workspaceId, id);
    const patch: repo.CasePatch = { updated_at: now };
    if (ch.status && ch.status !== c.status) Object.assign(patch, statusPatch(c, ch.status, sla, now));
    if (ch.tags) patch.tags = JSON.stringify([...new Set(ch.tags)]);
    if (ch.assigneeId !== undefined && ch.assigneeId !== 'round-robin') patch.assignee_id = ch.assigneeId;
    c = (await repo.patchCase(trx, id, patch))!;
    if (patch.status) await repo.insertEvent(trx, id, 'status', p.userId, { to: patch.status }, now);
    if (patch.assignee_id !== undefined) await repo.insertEvent(trx, id, 'assigned', p.userId, { assigneeId: patch.assignee_id, by: p.label }, now);
    if (ch.assigneeId === 'round-robin') c = (await assignRoundRobin(trx, c, now)) ?? c;
    if (ch.tags) await repo.insertEvent(trx, id, 'tags', p.userId, { tags: ch.tags }, now);
    return c;
  });
  return withSla(updated, sla, now);
}

export async function addNote(ctx: AppContext, p: Principal, workspaceId: number, id: number, text: string): Promise<repo.CaseNote> {
  ensure(canNoteCase(p), 'write internal notes');
  await repo.getCase(ctx.db.kysely, workspaceId, id);
  return repo.insertNote(ctx.db.kysely, id, p.userId, text, ctx.clock.now());
}
