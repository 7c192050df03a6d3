/**
 * Alert rules for people: list and read alerts with the mentions behind them, acknowledge, resolve (which
 * tells the channels, after commit), tune or mute rules, and manage notification channels.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError, errorMessage, ValidationError } from '../lib/errors.ts';
import { withRadar } from '../radar/radar.schema.ts';
import { BUCKET_MS } from '../radar/stream-advance.ts';
import { SEVERITIES } from './alert-rules.ts';
import type { AlertRule } from './alert-rules.ts';
import type { Alert } from './alert.ts';
import * as repo from './alert.repository.ts';
import * as channels from './alert-channel.repository.ts';
import { listWindowMentions, getWindowMentionsByIds, type WindowMention } from './alert-window.repository.ts';
import { queueForChannels } from './alert-raise.ts';

export interface AlertDetail {
  alert: Alert;
  /** The mentions behind the alert (the incident window for stream rules), newest first. */
  mentions: WindowMention[];
  deliveries: channels.AlertDelivery[];
}

export async function getAlertDetail(ctx: AppContext, ws: number, id: number, limit = 100): Promise<AlertDetail> {
  const db = withRadar(ctx.db.kysely);
  const alert = await repo.getAlertById(db, ws, id);
  const e = alert.explanation;
  let mentions: WindowMention[];
  if (e.stream && alert.brandId !== null) {
    const filter = { brandId: alert.brandId, negativeOnly: e.stream.kind === 'negative', ...(e.stream.kind === 'topic' ? { topic: e.stream.topic } : {}) };
    mentions = await listWindowMentions(db, ws, { ...filter, from: alert.startedAt, to: alert.lastSeenAt + BUCKET_MS, limit });
  } else {
    mentions = await getWindowMentionsByIds(db, [...new Set([...(alert.mentionId !== null ? [alert.mentionId] : []), ...(e.representative ?? []).map((r) => r.id)])]);
  }
  return { alert, mentions, deliveries: await channels.listDeliveriesForAlert(db, alert.id) };
}

export async function acknowledgeAlert(ctx: AppContext, ws: number, id: number): Promise<Alert> {
  const db = withRadar(ctx.db.kysely);
  const alert = await repo.getAlertById(db, ws, id);
  if (alert.status !== 'open') return alert;
  const now = ctx.clock.now();
  return repo.updateAlertRow(db, id, { status: 'acknowledged', acknowledged_at: now, updated_at: now });
}

/** Resolves the incident and queues "resolved" to the channels; sent once the change has committed. */
export async function resolveAlert(ctx: AppContext, ws: number, id: number): Promise<Alert> {
  const now = ctx.clock.now();
  const result = await withRadar(ctx.db.kysely).transaction().execute(async (trx) => {
    const alert = await repo.getAlertById(trx, ws, id);
    if (alert.status === 'resolved') return { alert, queued: 0 };
    const resolved = await repo.updateAlertRow(trx, id, { status: 'resolved', resolved_at: now, updated_at: now });
    return { alert: resolved, queued: await queueForChannels(trx, resolved, 'resolved', now) };
  });
  if (result.queued) ctx.radar.dispatcher.kick();
  return result.alert;
}

export async function listRules(ctx: AppContext, ws: number): Promise<AlertRule[]> {
  return [...(await repo.ensureRules(withRadar(ctx.db.kysely), ws, ctx.clock.now())).values()];
}

export const ruleInput = z.object({
  severity: z.enum(SEVERITIES).optional(),
  cooldownMinutes: z.number().int().min(5).max(7 * 24 * 60).optional(),
  threshold: z.number().min(0.05).max(0.99).optional(),
  muted: z.boolean().optional(),
  /** Mute until this time (epoch ms); null = until unmuted. */
  mutedUntil: z.number().int().positive().nullable().optional(),
}).strict();

export async function updateRule(ctx: AppContext, ws: number, id: number, input: z.infer<typeof ruleInput>): Promise<AlertRule> {
  await listRules(ctx, ws);
  const { cooldownMinutes, severity, ...rest } = input;
  return repo.updateRule(withRadar(ctx.db.kysely), ws, id, {
    ...rest, ...(severity !== undefined ? { severity } : {}), ...(cooldownMinutes !== undefined ? { cooldownMs: cooldownMinutes * 60_000 } : {}),
  }, ctx.clock.now());
}

export const channelInput = z.object({
  kind: z.enum(['webhook', 'slack', 'email']),
  name: z.string().trim().min(1).max(120),
  url: z.string().url().max(2000).optional(),
  to: z.array(z.string().email().max(320)).min(1).max(20).optional(),
  minSeverity: z.enum(SEVERITIES).default('warning'),
  enabled: z.boolean().default(true),
}).strict();

/** Creates a channel; a webhook channel gets a fresh Standard Webhooks secret, shown in the answer. */
export async function createChannel(ctx: AppContext, ws: number, input: z.infer<typeof channelInput>): Promise<channels.AlertChannel> {
  checkTarget(ctx, input.kind, input);
  const config: channels.ChannelConfig = input.kind === 'email' ? { to: input.to! } : { url: input.url!, ...(input.kind === 'webhook' ? { secret: newSecret() } : {}) };
  return channels.insertChannel(withRadar(ctx.db.kysely), ws, { kind: input.kind, name: input.name, config, minSeverity: input.minSeverity, enabled: input.enabled }, ctx.clock.now());
}

export const channelChanges = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  /** webhook, slack: a new target; left out, the current one is kept (the API never shows a Slack URL whole). */
  url: z.string().url().max(2000).optional(),
  /** email: the new recipients. */
  to: z.array(z.string().email().max(320)).min(1).max(20).optional(),
  minSeverity: z.enum(SEVERITIES).optional(),
  enabled: z.boolean().optional(),
  /** webhook: replace the signing secret; the answer shows the new one (once). */
  rotateSecret: z.literal(true).optional(),
}).strict();

/**
 * Edits a channel: name, target, minimum severity, on/off, and a webhook's secret on request (the answer
 * then carries the new secret, shown once, as on creation; otherwise secrets stay redacted).
 * @throws ValidationError for a target that does not fit the channel's kind; NotFoundError; ConflictError (name taken).
 */
export async function editChannel(ctx: AppContext, ws: number, id: number, input: z.infer<typeof channelChanges>): Promise<channels.AlertChannel> {
  const db = withRadar(ctx.db.kysely);
  const current = await channels.getChannelById(db, ws, id);
  const { url, to, rotateSecret, ...rest } = input;
  if (url !== undefined && current.kind === 'email') throw new ValidationError('an e-mail channel has recipients, not a url', { url: 'not for e-mail channels' });
  if (to !== undefined && current.kind !== 'email') throw new ValidationError('only e-mail channels have recipients', { to: 'e-mail channels only' });
  if (rotateSecret && current.kind !== 'webhook') throw new ValidationError('only webhook channels have a signing secret', { rotateSecret: 'webhook channels only' });
  if (url !== undefined) checkTarget(ctx, current.kind, { url });
  const config: channels.ChannelConfig = { ...current.config, ...(url !== undefined ? { url } : {}), ...(to !== undefined ? { to } : {}), ...(rotateSecret ? { secret: newSecret() } : {}) };
  const changed = url !== undefined || to !== undefined || rotateSecret;
  const updated = await channels.updateChannel(db, ws, id, { ...rest, ...(changed ? { config } : {}) });
  return rotateSecret ? updated : redactChannel(updated);
}

function newSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString('base64')}`;
}

/** @throws ValidationError for a missing or non-http(s) url, or missing recipients; AppError when e-mail is not configured. */
function checkTarget(ctx: AppContext, kind: channels.AlertChannel['kind'], input: { url?: string | undefined; to?: string[] | undefined }): void {
  if ((kind === 'webhook' || kind === 'slack') && !input.url) throw new ValidationError('a webhook or Slack channel needs a url', { url: 'required' });
  if ((kind === 'webhook' || kind === 'slack') && !/^https?:\/\//.test(input.url!)) throw new ValidationError('the url must be http(s)', { url: 'http(s) only' });
  if (kind === 'email' && !input.to) throw new ValidationError('an e-mail channel needs recipients', { to: 'required' });
  if (kind === 'email' && !ctx.config.smtp) throw new AppError('bad_request', 'e-mail alerts need SMTP_HOST and SMTP_FROM in the server configuration', 400);
}

/**
 * Channels as the API shows them: a webhook's signing secret is shown only once (when created or rotated),
 * and a Slack incoming-webhook URL — which is itself the credential — only up to its first path segment.
 */
export function redactChannel(c: channels.AlertChannel): channels.AlertChannel {
  const config = { ...c.config };
  if (config.secret) config.secret = `${config.secret.slice(0, 10)}…`;
  if (c.kind === 'slack' && config.url) config.url = maskUrl(config.url);
  return { ...c, config };
}

function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    const first = u.pathname.split('/').filter(Boolean)[0];
    return `${u.origin}/${first ? `${first}/` : ''}…`;
  } catch {
    return '…';
  }
}

export interface ChannelTestResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** Sends a test message to a channel now (no outbox: nothing is committed, and the caller waits for the answer). */
export async function testChannel(ctx: AppContext, ws: number, id: number): Promise<ChannelTestResult> {
  const channel = await channels.getChannelById(withRadar(ctx.db.kysely), ws, id);
  const now = ctx.clock.now();
  const explanation = {
    summary: 'This is a test message from Earshot: alerts for this workspace will arrive here.', unit: 'mentions per 5 minutes' as const, brand: null, stream: null,
    observed: 0, expected: null, upper: null, since: now, peakAt: now, window: { from: now, to: now }, mentions: 0, topTerms: [], topTopics: [], representative: [], topAuthors: [], detector: null,
  };
  const alert: Alert = {
    id: 0, workspaceId: ws, ruleId: 0, rule: 'volume_spike', brandId: null, streamId: null, mentionId: null, dedupeKey: 'test', status: 'open', severity: channel.minSeverity,
    title: 'Test alert', score: 0, peakScore: 0, observed: 0, expected: null, explanation, startedAt: now, lastSeenAt: now, updates: 0, notifiedObserved: 0,
    acknowledgedAt: null, resolvedAt: null, createdAt: now, updatedAt: now,
  };
  try {
    const status = await ctx.radar.notifiers[channel.kind].send(channel, { event: 'test', alert }, 0);
    return { ok: true, status, error: null };
  } catch (err) {
    return { ok: false, status: (err as { status?: number | null }).status ?? null, error: errorMessage(err) };
  }
}
