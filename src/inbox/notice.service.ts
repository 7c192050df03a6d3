/**
 * SLA notices: queued by the SLA watch in its transaction (`queueSlaNotices`), sent after commit
 * (`deliverDueNotices`: e-mail over the operator's SMTP settings, the workspace's alert channels), and read
 * in the app (`listMyNotices`, `readNotice`). A failed e-mail or channel message is retried after 1, 5 and 30
 * minutes unless the target refused it for good; the in-app notice exists either way.
 */
import { Webhook } from 'standardwebhooks';
import { createSmtpTransport } from '../alerts/notifiers/smtp-transport.ts';
import type { Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Database } from '../db/schema.ts';
import { errorMessage, UnauthorizedError } from '../lib/errors.ts';
import { listUsers } from '../accounts/user.repository.ts';
import { getChannelById, listChannels, type AlertChannel } from '../alerts/alert-channel.repository.ts';
import { postJson } from '../alerts/notifiers/http-notify.ts';
import { DeliveryError } from '../alerts/notifiers/notifier.ts';
import type { RadarDb } from '../radar/radar.schema.ts';
import type { Principal } from '../accounts/permissions.ts';
import type { Case } from './case.repository.ts';
import { planSlaNotices, noticeText, type Announcement } from './sla-notices.ts';
import * as repo from './notice.repository.ts';

const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000];

/** Queues the notices of one case's fresh SLA announcements, in the SLA watch's transaction. @returns how many were new. */
export async function queueSlaNotices(ctx: AppContext, trx: Transaction<Database>, c: Case, announced: Announcement[], assigneeId: number | null, escalatedTo: number | null): Promise<number> {
  const users = await listUsers(trx);
  const breached = announced.some((a) => a.clock.state === 'breached');
  const channels = breached ? await listChannels(trx as unknown as RadarDb, c.workspaceId) : [];
  const notices = planSlaNotices(c, announced, { users, channels, assigneeId, escalatedTo, email: ctx.config.smtp !== null });
  return repo.insertNotices(trx, notices, ctx.clock.now());
}

/** Sends the due e-mail and channel notices (after commit). @returns how many were sent. */
export async function deliverDueNotices(ctx: AppContext): Promise<number> {
  let sent = 0;
  for (const n of await repo.listDueNotices(ctx.db.kysely, ctx.clock.now(), 100)) {
    if (!(await repo.claimNotice(ctx.db.kysely, n.id))) continue;
    try {
      await send(ctx, n);
      await repo.markNoticeSent(ctx.db.kysely, n.id, ctx.clock.now());
      sent++;
    } catch (err) {
      const retry = !(err instanceof DeliveryError) || err.retry;
      const next = retry && n.attempts < BACKOFF_MS.length ? ctx.clock.now() + BACKOFF_MS[n.attempts]! : null;
      ctx.logger.warn({ noticeId: n.id, caseId: n.caseId, err: errorMessage(err) }, 'SLA notice could not be sent');
      await repo.markNoticeFailed(ctx.db.kysely, n.id, errorMessage(err), next);
    }
  }
  return sent;
}

async function send(ctx: AppContext, n: repo.Notice): Promise<void> {
  const content = noticeText(n);
  if (n.delivery === 'email') return sendMail(ctx, [n.target ?? ''], content);
  const channel = await getChannelById(ctx.db.kysely as unknown as RadarDb, n.workspaceId, n.channelId ?? 0);
  return sendToChannel(ctx, channel, n, content);
}

async function sendMail(ctx: AppContext, to: string[], content: { subject: string; text: string }): Promise<void> {
  const smtp = ctx.config.smtp;
  if (!smtp) throw new DeliveryError('SLA e-mails need SMTP_HOST and SMTP_FROM', null, false);
  if (!to.filter(Boolean).length) throw new DeliveryError('no recipient address', null, false);
  const transport = await createSmtpTransport(smtp);
  try {
    await transport.sendMail({ from: smtp.from, to, subject: `[Earshot] ${content.subject}`, text: content.text });
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode ?? null;
    throw new DeliveryError(`SMTP ${smtp.host}:${smtp.port}: ${errorMessage(err)}`, code, code === null || code < 500);
  } finally {
    transport.close();
  }
}

/** An alert channel: its e-mail recipients, a Slack message, or a signed webhook (`type: "inbox.sla_breached"`). */
async function sendToChannel(ctx: AppContext, ch: AlertChannel, n: repo.Notice, content: { subject: string; text: string }): Promise<void> {
  if (!ch.enabled) throw new DeliveryError(`the channel "${ch.name}" is disabled`, null, false);
  if (ch.kind === 'email') return sendMail(ctx, ch.config.to ?? [], content);
  if (!ch.config.url) throw new DeliveryError('the channel has no URL', null, false);
  if (ch.kind === 'slack') {
    await postJson(ctx.sourceDeps.fetch, ch.config.url, JSON.stringify({ text: content.text }), {});
    return;
  }
  if (!ch.config.secret) throw new DeliveryError('the channel has no secret', null, false);
  const now = new Date(ctx.clock.now());
  const id = `inbox_notice_${n.id}`;
  const body = JSON.stringify({ type: `inbox.${n.kind}`, timestamp: now.toISOString(), data: { caseId: n.caseId, workspaceId: n.workspaceId, objective: n.objective, ...n.detail, summary: content.subject } });
  const signature = new Webhook(ch.config.secret).sign(id, now, body);
  await postJson(ctx.sourceDeps.fetch, ch.config.url, body, { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature });
}

export interface NoticeView extends repo.Notice {
  subject: string;
  text: string;
}

const view = (n: repo.Notice): NoticeView => ({ ...n, ...noticeText(n) });

/** The signed-in user's in-app notices, newest first. */
export async function listMyNotices(ctx: AppContext, p: Principal, unreadOnly: boolean, limit: number): Promise<NoticeView[]> {
  if (p.userId === null) throw new UnauthorizedError('Notices belong to a signed-in user');
  return (await repo.listUserNotices(ctx.db.kysely, p.userId, unreadOnly, limit)).map(view);
}

export async function readNotice(ctx: AppContext, p: Principal, id: number): Promise<void> {
  if (p.userId === null) throw new UnauthorizedError('Notices belong to a signed-in user');
  await repo.markNoticeRead(ctx.db.kysely, p.userId, id, ctx.clock.now());
}

/** Every notice of a case (who was told, how, and whether it went out), for the case view. */
export async function listCaseNoticeViews(ctx: AppContext, caseId: number): Promise<NoticeView[]> {
  return (await repo.listCaseNotices(ctx.db.kysely, caseId)).map(view);
}
