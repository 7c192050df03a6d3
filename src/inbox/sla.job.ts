/**
 * The SLA watch: for every open or pending case, raises a warning event shortly before an objective breaches
 * and, once it breaches, a breach event and an escalation (the case is flagged escalated, its priority raised,
 * and it is reassigned to the policy's escalation user when one is set). Each announcement happens once
 * (a flag on the case, written with a compare-and-set so several processes do not repeat it), and its notices
 * (in-app, e-mail, alert channels: see sla-notices.ts) are queued in the same transaction and sent after commit.
 */
import type { AppContext } from '../app-context.ts';
import { getInboxSettings } from './inbox-settings.repository.ts';
import type { InboxSettings } from './inbox-settings.ts';
import { slaClocks, type SlaClock } from './sla.ts';
import * as cases from './case.repository.ts';
import { queueSlaNotices } from './notice.service.ts';

const ESCALATION_BOOST = 25;
/**
 * Only cases opened in the last 30 days are watched: a live case breaches long before that (and is announced
 * then), while an imported backlog of old conversations would otherwise raise thousands of stale escalations.
 */
export const SLA_WATCH_WINDOW_MS = 30 * 86_400_000;

/** The flag of a clock's state; next-response clocks are keyed by the message they wait on. */
function flagOf(c: cases.Case, clock: SlaClock): string | null {
  if (clock.state !== 'warning' && clock.state !== 'breached') return null;
  const key = clock.objective === 'next_response' ? `next_response@${c.awaitingSince}` : clock.objective;
  return `${key}:${clock.state}`;
}

async function checkCase(ctx: AppContext, c: cases.Case, s: InboxSettings, now: number): Promise<number> {
  const clocks = slaClocks(c, s.sla, now);
  const fresh = clocks.map((k) => [k, flagOf(c, k)] as const).filter(([, f]) => f !== null && !c.slaFlags.includes(f));
  if (!fresh.length) return 0;
  const breached = fresh.some(([k]) => k.state === 'breached');
  const escalateTo = s.sla.escalateToUserId;
  const patch: cases.CasePatch = { updated_at: now, ...(breached ? { escalated: 1, priority: Math.min(100, c.priority + ESCALATION_BOOST), ...(escalateTo ? { assignee_id: escalateTo } : {}) } : {}) };
  return ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await cases.addSlaFlags(trx, c, fresh.map(([, f]) => f!), patch))) return 0;
    for (const [k] of fresh) await cases.insertEvent(trx, c.id, k.state === 'breached' ? 'sla_breached' : 'sla_warning', null, { objective: k.objective, dueAt: k.dueAt, elapsedMs: k.elapsedMs, targetMs: k.targetMs }, now);
    if (breached && !c.escalated) await cases.insertEvent(trx, c.id, 'escalated', null, { assigneeId: escalateTo ?? c.assigneeId, priority: patch.priority }, now);
    const announced = fresh.map(([clock, flag]) => ({ clock, flag: flag! }));
    await queueSlaNotices(ctx, trx, c, announced, breached && escalateTo ? escalateTo : c.assigneeId, breached ? escalateTo : null);
    return fresh.length;
  });
}

/** One pass over the active cases. @returns how many warnings and breaches were announced. */
export async function checkSlas(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const settings = new Map<number, InboxSettings>();
  let announced = 0;
  for (const c of await cases.listActiveCases(ctx.db.kysely, now - SLA_WATCH_WINDOW_MS, 5000)) {
    if (!settings.has(c.workspaceId)) settings.set(c.workspaceId, await getInboxSettings(ctx.db.kysely, c.workspaceId));
    announced += await checkCase(ctx, c, settings.get(c.workspaceId)!, now);
  }
  return announced;
}
