/**
 * The five alert rules and their defaults (pure). A rule turns a radar signal — a stream's anomaly score,
 * a mention's virality or an author's influence — into an incident when the score reaches its threshold.
 * Each workspace gets one row per rule (created with these defaults on first use) that operators can tune,
 * mute for a while, or mute until unmuted.
 */
import type { AlertRuleRow, RuleKind, Severity, StreamKind } from '../radar/radar.schema.ts';

export const RULE_KINDS = ['volume_spike', 'negativity_spike', 'topic_surge', 'viral_mention', 'influential_complaint'] as const satisfies readonly RuleKind[];
export const SEVERITIES = ['info', 'warning', 'critical'] as const satisfies readonly Severity[];

const HOUR = 3_600_000;

export interface RuleDefaults {
  severity: Severity;
  /** How long after its last anomalous observation an incident stays live: signals inside it update the
   *  same alert instead of opening a new one. */
  cooldownMs: number;
  threshold: number;
}

export const RULE_DEFAULTS: Record<RuleKind, RuleDefaults> = {
  volume_spike: { severity: 'warning', cooldownMs: 6 * HOUR, threshold: 0.5 },
  negativity_spike: { severity: 'critical', cooldownMs: 6 * HOUR, threshold: 0.5 },
  topic_surge: { severity: 'warning', cooldownMs: 6 * HOUR, threshold: 0.5 },
  viral_mention: { severity: 'critical', cooldownMs: 24 * HOUR, threshold: 0.5 },
  influential_complaint: { severity: 'warning', cooldownMs: 24 * HOUR, threshold: 0.5 },
};

/** A rule as services and the API see it. */
export interface AlertRule {
  id: number;
  workspaceId: number;
  kind: RuleKind;
  severity: Severity;
  cooldownMs: number;
  threshold: number;
  muted: boolean;
  mutedUntil: number | null;
  updatedAt: number;
}

export function toRule(r: AlertRuleRow): AlertRule {
  return {
    id: r.id, workspaceId: r.workspace_id, kind: r.kind, severity: r.severity, cooldownMs: Number(r.cooldown_ms),
    threshold: r.threshold, muted: r.muted === 1, mutedUntil: r.muted_until === null ? null : Number(r.muted_until), updatedAt: Number(r.updated_at),
  };
}

/** Muted now: muted without an end, or until a time still ahead. */
export function isMuted(rule: AlertRule, now: number): boolean {
  return rule.muted && (rule.mutedUntil === null || rule.mutedUntil > now);
}

export const STREAM_RULE: Record<StreamKind, RuleKind> = { volume: 'volume_spike', negative: 'negativity_spike', topic: 'topic_surge' };

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Observed has grown enough since subscribers were last told to tell them again. */
export function isEscalation(observed: number, notifiedObserved: number): boolean {
  return notifiedObserved > 0 && observed >= 2 * notifiedObserved;
}
