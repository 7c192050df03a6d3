/** Alert rules and alerts (incidents). */
import { NotFoundError } from '../lib/errors.ts';
import type { AlertStatus, AlertTable, RadarDb, RuleKind, Severity } from '../radar/radar.schema.ts';
import type { Insertable, Updateable } from 'kysely';
import { RULE_DEFAULTS, RULE_KINDS, toRule, type AlertRule } from './alert-rules.ts';
import { toAlert, type Alert } from './alert.ts';

/** The workspace's rules, created with their defaults where missing. @returns them by kind. */
export async function ensureRules(db: RadarDb, workspaceId: number, now: number): Promise<Map<RuleKind, AlertRule>> {
  let rows = await db.selectFrom('alert_rules').selectAll().where('workspace_id', '=', workspaceId).execute();
  if (rows.length < RULE_KINDS.length) {
    const missing = RULE_KINDS.filter((k) => !rows.some((r) => r.kind === k));
    const values = missing.map((kind) => {
      const d = RULE_DEFAULTS[kind];
      return { workspace_id: workspaceId, kind, severity: d.severity, cooldown_ms: d.cooldownMs, threshold: d.threshold, muted: 0, muted_until: null, updated_at: now };
    });
    await db.insertInto('alert_rules').values(values).onConflict((oc) => oc.columns(['workspace_id', 'kind']).doNothing()).execute();
    rows = await db.selectFrom('alert_rules').selectAll().where('workspace_id', '=', workspaceId).execute();
  }
  return new Map(rows.map((r) => [r.kind, toRule(r)]));
}

export interface RuleChanges {
  severity?: Severity;
  cooldownMs?: number;
  threshold?: number;
  muted?: boolean;
  mutedUntil?: number | null;
}

/** @throws NotFoundError when the workspace has no such rule. */
export async function updateRule(db: RadarDb, workspaceId: number, id: number, c: RuleChanges, now: number): Promise<AlertRule> {
  const set = {
    ...(c.severity !== undefined ? { severity: c.severity } : {}),
    ...(c.cooldownMs !== undefined ? { cooldown_ms: c.cooldownMs } : {}),
    ...(c.threshold !== undefined ? { threshold: c.threshold } : {}),
    ...(c.muted !== undefined ? { muted: c.muted ? 1 : 0 } : {}),
    ...(c.mutedUntil !== undefined ? { muted_until: c.mutedUntil } : {}),
    updated_at: now,
  };
  const row = await db.updateTable('alert_rules').set(set).where('workspace_id', '=', workspaceId).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw new NotFoundError('alert rule', id);
  return toRule(row);
}

/** The newest alert for this subject that is still live: not resolved, seen within `sinceSeen`. */
export async function findLiveAlert(db: RadarDb, workspaceId: number, dedupeKey: string, sinceSeen: number): Promise<Alert | null> {
  const row = await db
    .selectFrom('alerts').selectAll()
    .where('workspace_id', '=', workspaceId).where('dedupe_key', '=', dedupeKey).where('last_seen_at', '>=', sinceSeen)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toAlert(row) : null;
}

export async function insertAlert(db: RadarDb, row: Insertable<AlertTable>): Promise<Alert> {
  return toAlert(await db.insertInto('alerts').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function updateAlertRow(db: RadarDb, id: number, set: Updateable<AlertTable>): Promise<Alert> {
  const row = await db.updateTable('alerts').set(set).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw new NotFoundError('alert', id);
  return toAlert(row);
}

/** @throws NotFoundError when the alert is not in the workspace. */
export async function getAlertById(db: RadarDb, workspaceId: number, id: number): Promise<Alert> {
  const row = await db.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('alert', id);
  return toAlert(row);
}

export interface AlertFilter {
  status?: AlertStatus;
  brandId?: number;
  streamId?: number;
  rule?: RuleKind;
  from?: number;
  to?: number;
  /** Keyset paging: alerts with a smaller id. */
  before?: number;
}

/** Newest first. */
export async function listAlerts(db: RadarDb, workspaceId: number, f: AlertFilter, limit: number): Promise<Alert[]> {
  let q = db.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.brandId !== undefined) q = q.where('brand_id', '=', f.brandId);
  if (f.streamId !== undefined) q = q.where('stream_id', '=', f.streamId);
  if (f.rule) q = q.where('rule_kind', '=', f.rule);
  if (f.from !== undefined) q = q.where('last_seen_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('started_at', '<', f.to);
  if (f.before !== undefined) q = q.where('id', '<', f.before);
  return (await q.orderBy('id', 'desc').limit(limit).execute()).map(toAlert);
}
