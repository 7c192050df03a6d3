/**
 * Alert rules applied to the radar's signals, inside the radar's transaction: one incident is one alert
 * (found again by its subject while it is live, i.e. seen within the rule's cool-down), opened when a
 * signal reaches the rule's threshold, updated while the subject stays anomalous, and never re-opened within
 * the cool-down after a person resolved it. Notifications are only queued here (the outbox); they are sent
 * after commit.
 */
import type { Transaction } from 'kysely';
import type { Database, Severity } from '../radar/radar.schema.ts';
import { BUCKET_MS } from '../radar/stream-advance.ts';
import { isEscalation, isMuted, severityRank, STREAM_RULE, type AlertRule } from './alert-rules.ts';
import type { Alert } from './alert.ts';
import { ensureRules, findLiveAlert, insertAlert, updateAlertRow } from './alert.repository.ts';
import { listChannels, queueDeliveries } from './alert-channel.repository.ts';
import type { AlertSignal } from './alert-signal.ts';
import { explainMention, explainStream } from './alert-explanation.service.ts';

type Trx = Transaction<Database>;

export interface RaiseResult {
  opened: Alert[];
  updated: Alert[];
  queued: number;
}

export async function raiseAlerts(trx: Trx, workspaceId: number, signals: AlertSignal[], now: number): Promise<RaiseResult> {
  const result: RaiseResult = { opened: [], updated: [], queued: 0 };
  if (!signals.length) return result;
  const rules = await ensureRules(trx, workspaceId, now);
  for (const s of signals) {
    const rule = rules.get(s.type === 'stream' ? STREAM_RULE[s.stream.kind] : s.rule)!;
    if (isMuted(rule, now)) continue;
    const outcome = s.type === 'stream' ? await onStreamSignal(trx, workspaceId, rule, s, now) : await onMentionSignal(trx, workspaceId, rule, s, now);
    if (!outcome) continue;
    (outcome.opened ? result.opened : result.updated).push(outcome.alert);
    result.queued += await notify(trx, outcome, now);
  }
  return result;
}

interface Outcome {
  alert: Alert;
  opened: boolean;
  escalated: boolean;
}

async function onStreamSignal(trx: Trx, ws: number, rule: AlertRule, s: Extract<AlertSignal, { type: 'stream' }>, now: number): Promise<Outcome | null> {
  const p = s.point;
  const hot = p.score >= rule.threshold;
  const above = p.band !== null && p.n > p.band.hi;
  if (!hot && !above) return null;
  const key = `stream:${s.stream.id}`;
  const live = await findLiveAlert(trx, ws, key, p.bucket - rule.cooldownMs);
  if (live?.status === 'resolved') return null;
  if (!live && !hot) return null;
  const since = live?.startedAt ?? p.bucket;
  const peak = !live || p.score >= live.peakScore || p.n >= live.observed ? p : null;
  // Re-reading the mentions behind an incident once per bucket is enough (rounds come every few seconds).
  if (live && !peak && live.explanation.window?.to === p.bucket + BUCKET_MS) {
    const alert = await updateAlertRow(trx, live.id, { score: p.score, updates: live.updates + 1, updated_at: now });
    return { alert, opened: false, escalated: false };
  }
  const explanation = await explainStream(trx, ws, s, since, live?.explanation ?? null, peak);
  const base = { score: p.score, explanation: JSON.stringify(explanation), last_seen_at: Math.max(p.bucket, live?.lastSeenAt ?? 0), updated_at: now };
  if (live) {
    const alert = await updateAlertRow(trx, live.id, { ...base, peak_score: Math.max(live.peakScore, p.score), observed: explanation.observed, expected: explanation.expected, updates: live.updates + 1 });
    // Not within the incident's first bucket: its count doubles every few seconds while it fills.
    return { alert, opened: false, escalated: p.bucket > live.startedAt && isEscalation(explanation.observed, live.notifiedObserved) };
  }
  const alert = await insertAlert(trx, {
    ...base, workspace_id: ws, rule_id: rule.id, rule_kind: rule.kind, brand_id: s.stream.brandId, stream_id: s.stream.id, mention_id: null, dedupe_key: key,
    status: 'open', severity: rule.severity, title: titleFor(rule, explanation.brand?.name ?? '?', s.stream.topic), peak_score: p.score,
    observed: explanation.observed, expected: explanation.expected, started_at: p.bucket, acknowledged_at: null, resolved_at: null, created_at: now,
  });
  return { alert, opened: true, escalated: false };
}

async function onMentionSignal(trx: Trx, ws: number, rule: AlertRule, s: Extract<AlertSignal, { type: 'mention' }>, now: number): Promise<Outcome | null> {
  if (s.score < rule.threshold) return null;
  const at = Math.min(s.mention.publishedAt, now);
  const live = await findLiveAlert(trx, ws, s.dedupeKey, at - rule.cooldownMs);
  if (live?.status === 'resolved') return null;
  const explanation = await explainMention(trx, ws, s, live?.explanation ?? null);
  const base = { score: s.score, explanation: JSON.stringify(explanation), last_seen_at: Math.max(at, live?.lastSeenAt ?? 0), updated_at: now, observed: explanation.observed, expected: s.expected };
  if (live) {
    const alert = await updateAlertRow(trx, live.id, { ...base, peak_score: Math.max(live.peakScore, s.score), updates: live.updates + 1 });
    return { alert, opened: false, escalated: isEscalation(explanation.observed, live.notifiedObserved) };
  }
  const who = s.mention.author ? `@${s.mention.author.handle}` : 'a mention';
  const alert = await insertAlert(trx, {
    ...base, workspace_id: ws, rule_id: rule.id, rule_kind: rule.kind, brand_id: s.brandId, stream_id: null, mention_id: s.mention.id, dedupe_key: s.dedupeKey,
    status: 'open', severity: rule.severity, title: `${titleFor(rule, explanation.brand?.name ?? '?', '')} — ${who}`, peak_score: s.score,
    started_at: at, acknowledged_at: null, resolved_at: null, created_at: now,
  });
  return { alert, opened: true, escalated: false };
}

const RULE_TITLES: Record<AlertRule['kind'], string> = {
  volume_spike: 'Volume spike', negativity_spike: 'Negativity spike', topic_surge: 'Topic surge', viral_mention: 'Viral mention', influential_complaint: 'Influential complaint',
};

function titleFor(rule: AlertRule, brand: string, topic: string): string {
  return `${RULE_TITLES[rule.kind]}: ${brand}${topic ? ` — ${topic}` : ''}`;
}

/** Queues 'opened' or 'escalated' for every enabled channel whose minimum severity the alert meets. */
async function notify(trx: Trx, o: Outcome, now: number): Promise<number> {
  if (!o.opened && !o.escalated) return 0;
  const event = o.opened ? 'opened' : 'escalated';
  const n = await queueForChannels(trx, o.alert, event, now);
  await updateAlertRow(trx, o.alert.id, { notified_observed: o.alert.observed });
  return n;
}

export async function queueForChannels(trx: Trx, alert: Alert, event: 'opened' | 'escalated' | 'resolved', now: number): Promise<number> {
  const channels = (await listChannels(trx, alert.workspaceId)).filter((c) => c.enabled && meets(alert.severity, c.minSeverity));
  await queueDeliveries(trx, channels.map((c) => ({ alertId: alert.id, channelId: c.id, event, payload: JSON.stringify({ event, alert }) })), now);
  return channels.length;
}

const meets = (s: Severity, min: Severity): boolean => severityRank(s) >= severityRank(min);
