/**
 * Replies: the agent's text is stored first (status queued) in the same transaction as the case change,
 * then sent through the channel after commit. A failed send keeps the text and the error on the case and
 * is retried with backoff (1 min, 5 min, 30 min, 2 h) unless the failure is permanent (missing settings);
 * agents can retry by hand at any time. Replies sent outside Earshot can be recorded so metrics stay true.
 */
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { errorMessage, ValidationError } from '../lib/errors.ts';
import { canReplyToCase, ensure, type Principal } from '../accounts/permissions.ts';
import { getSourceById } from '../sources/source.repository.ts';
import { getInboxSettings } from './inbox-settings.repository.ts';
import { getMentionsByIds } from './mention-lookup.repository.ts';
import { ReplyConfigError, sendThroughChannel } from './reply-senders.ts';
import { statusPatch } from './case.service.ts';
import * as cases from './case.repository.ts';
import * as repo from './reply.repository.ts';

export const replyInput = z.object({
  text: z.string().trim().min(1).max(10_000),
  /** The customer message answered; default: the case's latest one. */
  mentionId: z.number().int().positive().optional(),
  /** Change the status together with the reply (typically pending_customer or resolved). */
  setStatus: z.enum(['open', 'pending_customer', 'resolved']).optional(),
});
export type ReplyInput = z.output<typeof replyInput>;

const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** A reply still "sending" after this long belongs to a process that died mid-send. */
export const STUCK_MS = 10 * 60_000;

type Trx = Parameters<typeof cases.patchCase>[0];

/** Case bookkeeping of a reply that reached the customer at `at`: first/last response, nothing awaiting. */
async function noteResponse(trx: Trx, c: cases.Case, at: number, now: number): Promise<cases.Case> {
  const patch = { first_response_at: c.firstResponseAt === null ? at : Math.min(c.firstResponseAt, at), last_agent_at: Math.max(c.lastAgentAt ?? 0, at), awaiting_since: null, updated_at: now };
  return (await cases.patchCase(trx, c.id, patch)) ?? c;
}

async function targetMention(ctx: AppContext, c: cases.Case, mentionId: number | undefined) {
  const ids = await cases.listCaseMentionIds(ctx.db.kysely, c.id);
  const id = mentionId ?? ids[ids.length - 1];
  if (id === undefined || !ids.includes(id)) throw new ValidationError('The message answered must belong to the case', { mentionId: 'not in this case' });
  return (await getMentionsByIds(ctx.db.kysely, c.workspaceId, [id]))[0]!;
}

/** Stores the reply and the status change, then sends it. @returns the reply with its delivery outcome. */
export async function sendReply(ctx: AppContext, p: Principal, workspaceId: number, caseId: number, input: ReplyInput): Promise<repo.CaseReply> {
  ensure(canReplyToCase(p), 'reply to customers');
  const c = await cases.getCase(ctx.db.kysely, workspaceId, caseId);
  if (c.status === 'closed') throw new ValidationError('The case is closed; reopen it to reply', { status: 'closed' });
  const mention = await targetMention(ctx, c, input.mentionId);
  const { sla } = await getInboxSettings(ctx.db.kysely, workspaceId);
  const now = ctx.clock.now();
  const reply = await ctx.db.kysely.transaction().execute(async (trx) => {
    const r = await repo.insertReply(trx, { caseId, userId: p.userId, mentionId: mention.id, channel: mention.channel, text: input.text, status: 'queued' }, now);
    await cases.insertEvent(trx, caseId, 'reply_queued', p.userId, { replyId: r.id }, now);
    if (input.setStatus && input.setStatus !== c.status) {
      await cases.patchCase(trx, caseId, { ...statusPatch(c, input.setStatus, sla, now), updated_at: now });
      await cases.insertEvent(trx, caseId, 'status', p.userId, { to: input.setStatus }, now);
    }
    return r;
  });
  await deliverReply(ctx, reply.id);
  return repo.getReply(ctx.db.kysely, reply.id);
}

/** One delivery attempt (after commit). Never throws for a channel failure: the outcome is recorded. */
export async function deliverReply(ctx: AppContext, replyId: number): Promise<void> {
  if (!(await repo.claimReply(ctx.db.kysely, replyId, ctx.clock.now()))) return;
  const r = await repo.getReply(ctx.db.kysely, replyId);
  const c = await cases.getCaseById(ctx.db.kysely, r.caseId);
  try {
    const mention = (await getMentionsByIds(ctx.db.kysely, c.workspaceId, r.mentionId ? [r.mentionId] : []))[0];
    if (!mention) throw new ReplyConfigError('the answered message no longer exists');
    const source = await getSourceById(ctx.db.kysely, c.workspaceId, mention.sourceId);
    const { replyWebhook } = await getInboxSettings(ctx.db.kysely, c.workspaceId);
    const externalId = await sendThroughChannel(ctx, { replyId, caseId: c.id, text: r.text, mention, source, replyWebhook });
    const now = ctx.clock.now();
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await repo.markSent(trx, replyId, externalId, now);
      await noteResponse(trx, await cases.getCase(trx, c.workspaceId, c.id), now, now);
      await cases.insertEvent(trx, c.id, 'reply_sent', r.userId, { replyId }, now);
    });
  } catch (err) {
    await recordFailure(ctx, r, c.id, err);
  }
}

async function recordFailure(ctx: AppContext, r: repo.CaseReply, caseId: number, err: unknown): Promise<void> {
  const now = ctx.clock.now();
  const attempts = r.attempts;
  const permanent = err instanceof ReplyConfigError;
  const next = !permanent && attempts <= BACKOFF_MS.length ? now + BACKOFF_MS[attempts - 1]! : null;
  const message = errorMessage(err);
  ctx.logger.warn({ replyId: r.id, caseId, attempts, err: message }, 'reply could not be sent');
  await repo.markFailed(ctx.db.kysely, r.id, message, next, now);
  await cases.insertEvent(ctx.db.kysely, caseId, 'reply_failed', null, { replyId: r.id, error: message, attempts, nextAttemptAt: next }, now);
}

/** An agent's retry of a failed reply, now. */
export async function retryReply(ctx: AppContext, p: Principal, workspaceId: number, caseId: number, replyId: number): Promise<repo.CaseReply> {
  ensure(canReplyToCase(p), 'reply to customers');
  await cases.getCase(ctx.db.kysely, workspaceId, caseId);
  const r = await repo.getReply(ctx.db.kysely, replyId);
  if (r.caseId !== caseId) throw new ValidationError('The reply belongs to another case', { replyId: 'other case' });
  if (r.status !== 'failed') throw new ValidationError(`Only failed replies can be retried (this one is ${r.status})`, { replyId: r.status });
  await deliverReply(ctx, replyId);
  return repo.getReply(ctx.db.kysely, replyId);
}

/** Background: retries due failures; marks replies stuck in "sending" as failed without retrying (they may have gone out). */
export async function retryDueReplies(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const { due, stuck } = await repo.listDueRetries(ctx.db.kysely, now, now - STUCK_MS, 50);
  for (const r of stuck) await repo.markFailed(ctx.db.kysely, r.id, 'interrupted while sending: it may have reached the customer; check the channel before retrying', null, now);
  for (const r of due) await deliverReply(ctx, r.id);
  return due.length;
}

export const externalReplyInput = z.object({
  text: z.string().max(10_000).default(''),
  brandId: z.number().int().positive(),
  /** The customer message answered, by its channel id (the mention's externalId). */
  inReplyToExternalId: z.string().min(1).max(2000),
  externalId: z.string().max(2000).optional(),
  sentAt: z.number().int().positive(),
});
export const externalRepliesInput = z.object({ replies: z.array(externalReplyInput).min(1).max(1000) });
export type ExternalReply = z.output<typeof externalReplyInput>;

/**
 * Records replies sent outside Earshot (answered natively, or an imported support log), in one transaction,
 * so metrics and SLAs count them. A reply whose answered message is in no case of its brand is skipped.
 * @returns how many were recorded and the answered ids that matched no case.
 */
export async function recordExternalReplies(ctx: AppContext, p: Principal, workspaceId: number, replies: ExternalReply[]): Promise<{ recorded: number; unmatched: string[] }> {
  ensure(canReplyToCase(p), 'record replies');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    // The answered messages' cases in one query, kept current as replies are recorded.
    const found = await cases.listCasesByMessages(trx, workspaceId, [...new Set(replies.map((r) => r.inReplyToExternalId))]);
    const byId = new Map(found.map((f) => [f.case.id, f.case]));
    const unmatched: string[] = [];
    for (const input of replies) {
      const hit = found.filter((f) => f.externalId === input.inReplyToExternalId && f.case.brandId === input.brandId).sort((a, b) => b.case.id - a.case.id)[0];
      if (!hit) {
        unmatched.push(input.inReplyToExternalId);
        continue;
      }
      const c = byId.get(hit.case.id)!;
      await repo.insertReply(trx, { caseId: c.id, userId: p.userId, mentionId: null, channel: c.channel, text: input.text, status: 'recorded', externalId: input.externalId ?? null, sentAt: input.sentAt }, now);
      byId.set(c.id, await noteResponse(trx, c, input.sentAt, now));
    }
    return { recorded: replies.length - unmatched.length, unmatched };
  });
}
