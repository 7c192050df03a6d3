/**
 * Case intake: turns newly stored mentions into cases. Reads mentions after the workspace's intake cursor
 * (so nothing is missed across restarts, whatever the bus delivered), and in one transaction per batch
 * joins each follow-up to its open case (same thread, or same person and brand) or opens a case when the
 * intake rules say so, then moves the cursor. The cursor moves only if no other process moved it meanwhile.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Database } from '../db/schema.ts';
import { listBrands } from '../brands/brand.repository.ts';
import { listMentionsAfter } from '../mentions/mention.repository.ts';
import type { Mention } from '../mentions/mention.ts';
import { listAssignableAgents, markAssigned } from '../accounts/user.repository.ts';
import { REPEAT_WINDOW_MS } from '../people/churn-risk.ts';
import { businessMsBetween } from './business-hours.ts';
import { advanceCursor, getInboxSettings } from './inbox-settings.repository.ts';
import type { InboxSettings, IntakeRules } from './inbox-settings.ts';
import { computePriority } from './priority.ts';
import { IntakeView } from './intake-view.ts';
import * as cases from './case.repository.ts';

type Trx = Transaction<Database>;
const BATCH = 500;
/**
 * PostgreSQL hands out mention ids when rows are inserted, but transactions commit in any order: a lower id can
 * become visible after a higher one was read, and a cursor past it would never see it. So on PostgreSQL the
 * intake takes only mentions that arrived at least `settleMs` ago (INBOX_SETTLE_SECONDS, 30 s): by then every
 * transaction that took a lower id has committed or rolled back. SQLite writes one transaction at a time.
 * @returns the leading mentions that have settled (a prefix, so the cursor never skips one).
 */
export function settledPrefix<T extends { ingestedAt: number }>(mentions: T[], now: number, settleMs: number): T[] {
  const i = mentions.findIndex((m) => m.ingestedAt > now - settleMs);
  return i === -1 ? mentions : mentions.slice(0, i);
}

class CursorMoved extends Error {}

/** Whether a mention that joins no case opens one. */
export function opensCase(rules: IntakeRules, m: Pick<Mention, 'intents' | 'sentiment' | 'channel'>): boolean {
  if (!rules.enabled || (rules.channels.length && !rules.channels.includes(m.channel))) return false;
  return rules.everything || m.intents.some((i) => (rules.intents as string[]).includes(i)) || (rules.negative && m.sentiment?.label === 'negative');
}

/** When the customer spoke: the published time, unless it claims to be later than arrival. */
const spokeAt = (m: Mention) => Math.min(m.publishedAt, m.ingestedAt);

/**
 * Processes one batch of new mentions of the workspace.
 * @returns how many mentions were read (0 = caught up) and the cases opened.
 */
export async function intakeBatch(ctx: AppContext, workspaceId: number): Promise<{ read: number; opened: cases.Case[] }> {
  const settings = await getInboxSettings(ctx.db.kysely, workspaceId);
  const read = await listMentionsAfter(ctx.db.kysely, ctx.db.dialect, workspaceId, { duplicates: true }, settings.cursor, BATCH);
  const mentions = ctx.db.dialect === 'postgres' ? settledPrefix(read, ctx.clock.now(), ctx.config.inbox.settleMs) : read;
  if (!mentions.length) return { read: 0, opened: [] };
  const tracked = new Set((await listBrands(ctx.db.kysely, workspaceId)).filter((b) => settings.rules.brandKinds.includes(b.kind)).map((b) => b.id));
  const opened: cases.Case[] = [];
  try {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      // Near-duplicates count too: another customer with the same words is another customer, and the same
      // customer's cross-post joins their open case by the person rule.
      const view = await IntakeView.load(trx, workspaceId, mentions);
      for (const m of mentions) await intakeMention(ctx, trx, m, settings, tracked, opened, view);
      if (!(await advanceCursor(trx, workspaceId, settings.cursor, mentions[mentions.length - 1]!.id, ctx.clock.now()))) throw new CursorMoved();
    });
  } catch (err) {
    if (err instanceof CursorMoved) return { read: mentions.length, opened: [] };
    throw err;
  }
  return { read: mentions.length, opened };
}

async function intakeMention(ctx: AppContext, trx: Trx, m: Mention, s: InboxSettings, tracked: Set<number>, opened: cases.Case[], view: IntakeView): Promise<void> {
  const brandIds = m.brandIds.filter((b) => tracked.has(b));
  if (!brandIds.length) return;
  const personId = await view.personOf(m, ctx.clock.now());
  for (const brandId of brandIds) {
    const thread = m.parentExternalId ? view.thread(brandId, m.parentExternalId) : undefined;
    const existing = thread ?? (personId !== null ? view.openCaseOf(personId, brandId) : undefined);
    let c: cases.Case | undefined;
    if (existing) c = await joinCase(ctx, trx, existing, m, s);
    else if (opensCase(s.rules, m)) opened.push((c = await openCase(ctx, trx, m, brandId, personId, s)));
    if (!c) continue;
    view.put(c);
    view.addMessage(m.externalId, c.id);
  }
}

async function openCase(ctx: AppContext, trx: Trx, m: Mention, brandId: number, personId: number | null, s: InboxSettings): Promise<cases.Case> {
  const at = spokeAt(m);
  const now = ctx.clock.now();
  const repeatCount = personId !== null ? await cases.countCasesOfPersonSince(trx, personId, at - REPEAT_WINDOW_MS) : 0;
  const priority = computePriority({ sentiment: m.sentiment, followers: m.author?.followers ?? null, intents: m.intents, repeatCount });
  const subject = (m.title?.trim() || m.text.replace(/\s+/g, ' ').trim()).slice(0, 140) || '(no text)';
  let c = await cases.insertCase(trx, {
    workspace_id: m.workspaceId, brand_id: brandId, person_id: personId, channel: m.channel, subject, status: 'open', assignee_id: null,
    priority: priority.score, priority_factors: JSON.stringify(priority.factors), intents: JSON.stringify(m.intents), repeat_count: repeatCount,
    opened_at: at, first_response_at: null, awaiting_since: at, last_customer_at: at, last_agent_at: null, pending_since: null, resolved_at: null, closed_at: null, updated_at: now,
  });
  await cases.attachMention(trx, c.id, m.id, m.externalId, at);
  await cases.insertEvent(trx, c.id, 'opened', null, { mentionId: m.id, intents: m.intents }, now);
  if (s.rules.autoAssign) c = (await assignRoundRobin(trx, c, now)) ?? c;
  return c;
}

/** Assigns the case to the available agent assigned longest ago; undefined when no agent is available. */
export async function assignRoundRobin(trx: Trx, c: cases.Case, now: number): Promise<cases.Case | undefined> {
  const next = (await listAssignableAgents(trx))[0];
  if (!next) return undefined;
  await markAssigned(trx, next.id, now);
  await cases.insertEvent(trx, c.id, 'assigned', null, { assigneeId: next.id, by: 'round-robin' }, now);
  return cases.patchCase(trx, c.id, { assignee_id: next.id, updated_at: now });
}

async function joinCase(ctx: AppContext, trx: Trx, c: cases.Case, m: Mention, s: InboxSettings): Promise<cases.Case> {
  const at = spokeAt(m);
  const now = ctx.clock.now();
  await cases.attachMention(trx, c.id, m.id, m.externalId, at);
  const intents = [...new Set([...c.intents, ...m.intents])];
  const priority = computePriority({ sentiment: m.sentiment, followers: m.author?.followers ?? null, intents, repeatCount: c.repeatCount });
  const reopen = c.status === 'pending_customer' || c.status === 'resolved';
  const pausedMs = c.pendingSince !== null ? c.pausedMs + businessMsBetween(c.pendingSince, at, s.sla.businessHours) : c.pausedMs;
  const joined = await cases.patchCase(trx, c.id, {
    intents: JSON.stringify(intents),
    last_customer_at: Math.max(c.lastCustomerAt, at),
    awaiting_since: c.awaitingSince ?? at,
    ...(priority.score > c.priority ? { priority: priority.score, priority_factors: JSON.stringify(priority.factors) } : {}),
    ...(reopen ? { status: 'open' as const, pending_since: null, paused_ms: pausedMs, resolved_at: null } : {}),
    updated_at: now,
  });
  // The mention itself is on the case (case_mentions, with its time); only a reopening is an event.
  if (reopen) await cases.insertEvent(trx, c.id, 'reopened', null, { mentionId: m.id }, now);
  return joined ?? c;
}
