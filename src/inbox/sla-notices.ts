/**
 * Who is told about an SLA warning or breach (pure): a warning goes to the case's assignee (to the admins
 * when nobody is assigned); a breach (escalation) goes to the assignee after escalation, every admin, and the
 * workspace's enabled alert channels that take warnings (min severity info or warning: a channel kept for
 * critical crises only is not told). People get an in-app notice and, when SMTP is configured, an e-mail.
 * Deactivated users are never told. Each notice has a dedupe key (case, SLA flag, recipient, delivery).
 */
import type { User } from '../accounts/user.repository.ts';
import type { AlertChannel } from '../alerts/alert-channel.repository.ts';
import type { Case } from './case.repository.ts';
import type { NewNotice, NoticeReason } from './notice.repository.ts';
import type { SlaClock } from './sla.ts';

export interface Announcement {
  clock: SlaClock;
  /** The case's SLA flag for it, e.g. "first_response:warning" (unique per case and SLA instance). */
  flag: string;
}

export interface NoticeAudience {
  users: User[];
  channels: AlertChannel[];
  /** The assignee after this pass (the escalation user when a breach reassigned the case). */
  assigneeId: number | null;
  escalatedTo: number | null;
  /** E-mail notices are queued only when the operator configured SMTP. */
  email: boolean;
}

/** The notices for the announcements of one case. */
export function planSlaNotices(c: Case, announced: Announcement[], a: NoticeAudience): NewNotice[] {
  const active = new Map(a.users.filter((u) => !u.disabled).map((u) => [u.id, u]));
  const admins = [...active.values()].filter((u) => u.role === 'admin');
  const out: NewNotice[] = [];
  for (const { clock, flag } of announced) {
    const kind = clock.state === 'breached' ? ('sla_breached' as const) : ('sla_warning' as const);
    const base = { workspaceId: c.workspaceId, caseId: c.id, kind, objective: clock.objective };
    const detail = (because: NoticeReason) => ({ subject: c.subject, dueAt: clock.dueAt, elapsedMs: clock.elapsedMs, targetMs: clock.targetMs, because });
    const people = new Map<number, NoticeReason>();
    const assignee = a.assigneeId !== null ? active.get(a.assigneeId) : undefined;
    if (assignee) people.set(assignee.id, a.escalatedTo === assignee.id && kind === 'sla_breached' ? 'escalation-user' : 'assignee');
    if (kind === 'sla_breached' || !assignee) for (const u of admins) if (!people.has(u.id)) people.set(u.id, assignee ? 'admin' : 'admin-unassigned');
    for (const [userId, because] of people) {
      const user = active.get(userId)!;
      out.push({ ...base, userId, channelId: null, delivery: 'in_app', target: null, dedupeKey: `${c.id}:${flag}:user:${userId}:in_app`, detail: detail(because) });
      if (a.email) out.push({ ...base, userId, channelId: null, delivery: 'email', target: user.email, dedupeKey: `${c.id}:${flag}:user:${userId}:email`, detail: detail(because) });
    }
    if (kind !== 'sla_breached') continue;
    for (const ch of a.channels.filter((x) => x.enabled && x.minSeverity !== 'critical')) {
      out.push({ ...base, userId: null, channelId: ch.id, delivery: 'channel', target: ch.name, dedupeKey: `${c.id}:${flag}:channel:${ch.id}`, detail: detail('alert-channel') });
    }
  }
  return out;
}

const OBJECTIVES: Record<string, string> = { first_response: 'first response', next_response: 'next response', resolution: 'resolution' };

const REASONS: Record<NoticeReason, string> = { assignee: 'the assignee', admin: 'an admin', 'admin-unassigned': 'an admin (nobody is assigned)', 'escalation-user': 'the escalation user', 'alert-channel': 'an alert channel' };

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/** Subject and text of a notice (e-mail, Slack, in-app), in English. */
export function noticeText(n: { kind: NewNotice['kind']; objective: string; caseId: number; workspaceId: number; detail: NewNotice['detail'] }): { subject: string; text: string } {
  const what = OBJECTIVES[n.objective] ?? n.objective;
  const d = n.detail;
  const subject = n.kind === 'sla_breached' ? `SLA breached: ${what} of case #${n.caseId} — escalated` : `SLA warning: ${what} of case #${n.caseId} due ${d.dueAt ? new Date(d.dueAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'soon'}`;
  const text = [
    subject,
    '',
    `Case #${n.caseId}: ${d.subject}`,
    `Target ${minutes(d.targetMs)}, used ${minutes(d.elapsedMs)} (business time).`,
    `You are told as ${REASONS[d.because] ?? d.because}.`,
    '',
    `Open it in Earshot: /w/${n.workspaceId}/inbox?case=${n.caseId}`,
  ].join('\n');
  return { subject, text };
}
