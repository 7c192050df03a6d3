/**
 * Notification channels and the delivery outbox. Deliveries are inserted in the alert's transaction and
 * claimed afterwards by the dispatcher with a lease (conditional UPDATE), so several processes never send
 * the same delivery at the same time and a crash between commit and send only delays it.
 */
import { parseJson } from '../db/json.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { AlertChannelRow, AlertDeliveryRow, ChannelKind, DeliveryStatus, RadarDb, Severity } from '../radar/radar.schema.ts';

export interface ChannelConfig {
  /** webhook, slack: the target URL. */
  url?: string;
  /** webhook: Standard Webhooks secret (whsec_…). */
  secret?: string;
  /** email: recipients. */
  to?: string[];
}

export interface AlertChannel {
  id: number;
  workspaceId: number;
  kind: ChannelKind;
  name: string;
  config: ChannelConfig;
  minSeverity: Severity;
  enabled: boolean;
  createdAt: number;
}

export function toChannel(r: AlertChannelRow): AlertChannel {
  return { id: r.id, workspaceId: r.workspace_id, kind: r.kind, name: r.name, config: parseJson<ChannelConfig>(r.config, {}), minSeverity: r.min_severity, enabled: r.enabled === 1, createdAt: Number(r.created_at) };
}

export interface ChannelFields {
  kind: ChannelKind;
  name: string;
  config: ChannelConfig;
  minSeverity: Severity;
  enabled: boolean;
}

/** @throws ConflictError when the workspace already has a channel with that name. */
export async function insertChannel(db: RadarDb, workspaceId: number, f: ChannelFields, now: number): Promise<AlertChannel> {
  try {
    const row = await db
      .insertInto('alert_channels')
      .values({ workspace_id: workspaceId, kind: f.kind, name: f.name, config: JSON.stringify(f.config), min_severity: f.minSeverity, enabled: f.enabled ? 1 : 0, created_at: now })
      .returningAll().executeTakeFirstOrThrow();
    return toChannel(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a channel named "${f.name}" already exists`);
    throw err;
  }
}

export async function listChannels(db: RadarDb, workspaceId: number): Promise<AlertChannel[]> {
  return (await db.selectFrom('alert_channels').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute()).map(toChannel);
}

/** @throws NotFoundError */
export async function getChannelById(db: RadarDb, workspaceId: number, id: number): Promise<AlertChannel> {
  const r = await db.selectFrom('alert_channels').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError('alert channel', id);
  return toChannel(r);
}

/** The fields an edit may change (a channel's kind is fixed once created). */
export type ChannelChanges = Partial<Omit<ChannelFields, 'kind'>>;

/** @throws NotFoundError when there is no such channel; ConflictError when the new name is taken. */
export async function updateChannel(db: RadarDb, workspaceId: number, id: number, c: ChannelChanges): Promise<AlertChannel> {
  const set = {
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.config !== undefined ? { config: JSON.stringify(c.config) } : {}),
    ...(c.minSeverity !== undefined ? { min_severity: c.minSeverity } : {}),
    ...(c.enabled !== undefined ? { enabled: c.enabled ? 1 : 0 } : {}),
  };
  if (!Object.keys(set).length) return getChannelById(db, workspaceId, id);
  try {
    const row = await db.updateTable('alert_channels').set(set).where('workspace_id', '=', workspaceId).where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new NotFoundError('alert channel', id);
    return toChannel(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a channel named "${c.name ?? ''}" already exists`);
    throw err;
  }
}

/** @throws NotFoundError */
export async function deleteChannel(db: RadarDb, workspaceId: number, id: number): Promise<void> {
  const r = await db.deleteFrom('alert_channels').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw new NotFoundError('alert channel', id);
}

/** One try at sending a delivery. */
export interface DeliveryAttempt {
  at: number;
  ok: boolean;
  /** HTTP status or SMTP response code, when there was one. */
  status: number | null;
  error: string | null;
  ms: number;
}

export interface AlertDelivery {
  id: number;
  alertId: number;
  channelId: number;
  event: AlertDeliveryRow['event'];
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  log: DeliveryAttempt[];
  createdAt: number;
  sentAt: number | null;
}

function toDelivery(r: AlertDeliveryRow): AlertDelivery {
  return {
    id: r.id, alertId: r.alert_id, channelId: r.channel_id, event: r.event, payload: r.payload, status: r.status, attempts: r.attempts,
    nextAttemptAt: Number(r.next_attempt_at), log: parseJson<DeliveryAttempt[]>(r.log, []), createdAt: Number(r.created_at), sentAt: r.sent_at === null ? null : Number(r.sent_at),
  };
}

export async function queueDeliveries(db: RadarDb, rows: { alertId: number; channelId: number; event: AlertDeliveryRow['event']; payload: string }[], now: number): Promise<void> {
  if (!rows.length) return;
  await db.insertInto('alert_deliveries').values(rows.map((r) => ({ alert_id: r.alertId, channel_id: r.channelId, event: r.event, payload: r.payload, status: 'pending' as const, next_attempt_at: now, created_at: now }))).execute();
}

/** Due deliveries (pending and due, or sending with an expired lease), oldest first. */
export async function listDueDeliveries(db: RadarDb, now: number, limit: number): Promise<AlertDelivery[]> {
  const rows = await db
    .selectFrom('alert_deliveries').selectAll()
    .where((eb) => eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]))
    .orderBy('id').limit(limit).execute();
  return rows.map(toDelivery);
}

/** @returns false when another process claimed it first. */
export async function claimDelivery(db: RadarDb, d: AlertDelivery, now: number, leaseMs: number): Promise<boolean> {
  const r = await db.updateTable('alert_deliveries').set({ status: 'sending', lease_until: now + leaseMs })
    .where('id', '=', d.id).where('attempts', '=', d.attempts).where('status', 'in', ['pending', 'sending']).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recordAttempt(db: RadarDb, d: AlertDelivery, attempt: DeliveryAttempt, next: { status: DeliveryStatus; nextAttemptAt: number }): Promise<void> {
  await db.updateTable('alert_deliveries')
    .set({ status: next.status, attempts: d.attempts + 1, next_attempt_at: next.nextAttemptAt, lease_until: null, log: JSON.stringify([...d.log, attempt].slice(-20)), ...(attempt.ok ? { sent_at: attempt.at } : {}) })
    .where('id', '=', d.id).execute();
}

export async function listDeliveriesForAlert(db: RadarDb, alertId: number): Promise<AlertDelivery[]> {
  return (await db.selectFrom('alert_deliveries').selectAll().where('alert_id', '=', alertId).orderBy('id').execute()).map(toDelivery);
}
