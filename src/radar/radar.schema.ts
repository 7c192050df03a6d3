/**
 * Row types of the crisis-radar tables (migration 003-radar), which the core `Database` type does not list.
 * Repositories see the application's Kysely instance through `withRadar`.
 */
import type { Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { Database as CoreDatabase } from '../db/schema.ts';

export type StreamKind = 'volume' | 'negative' | 'topic';

export interface RadarStreamTable {
  id: Generated<number>;
  workspace_id: number;
  brand_id: number;
  kind: StreamKind;
  /** The topic of a 'topic' stream; '' otherwise. */
  topic: string;
  /** Start of the open (not yet closed) 5-minute bucket; 0 before the first mention. */
  open_bucket: number;
  open_count: number;
  /** JSON of the detector state (RadarState) after the last closed bucket; null before the first. */
  state: string | null;
  last_score: number;
  version: number;
  updated_at: number;
}

export interface RadarPointTable {
  stream_id: number;
  bucket: number;
  n: number;
  score: number;
  /** Expected count and band for the bucket as the detector saw it before the bucket (null while learning). */
  expected: number | null;
  lo: number | null;
  hi: number | null;
  /** 0 for the open bucket (count and score still provisional). */
  closed: number;
}

export type RuleKind = 'volume_spike' | 'negativity_spike' | 'topic_surge' | 'viral_mention' | 'influential_complaint';
export type Severity = 'info' | 'warning' | 'critical';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

export interface AlertRuleTable {
  id: Generated<number>;
  workspace_id: number;
  kind: RuleKind;
  severity: Severity;
  cooldown_ms: number;
  /** Score (0..1) at or above which the rule fires. */
  threshold: number;
  muted: number;
  /** A temporary mute ends at this time; null with muted = 1 means until unmuted. */
  muted_until: number | null;
  updated_at: number;
}

export interface AlertTable {
  id: Generated<number>;
  workspace_id: number;
  rule_id: number;
  rule_kind: RuleKind;
  brand_id: number | null;
  stream_id: number | null;
  mention_id: number | null;
  dedupe_key: string;
  status: AlertStatus;
  severity: Severity;
  title: string;
  score: number;
  peak_score: number;
  observed: number;
  expected: number | null;
  /** JSON of AlertExplanation. */
  explanation: string;
  started_at: number;
  last_seen_at: number;
  updates: Generated<number>;
  /** `observed` when subscribers were last told: an update is sent again only when it has grown clearly. */
  notified_observed: Generated<number>;
  acknowledged_at: number | null;
  resolved_at: number | null;
  created_at: number;
  updated_at: number;
}

export type ChannelKind = 'webhook' | 'slack' | 'email';

export interface AlertChannelTable {
  id: Generated<number>;
  workspace_id: number;
  kind: ChannelKind;
  name: string;
  /** JSON: { url, secret? } for webhook/slack, { to: string[] } for email. */
  config: string;
  min_severity: Severity;
  enabled: number;
  created_at: number;
}

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface AlertDeliveryTable {
  id: Generated<number>;
  alert_id: number;
  channel_id: number;
  event: 'opened' | 'escalated' | 'resolved' | 'test';
  /** JSON of the AlertMessage as it was when the event happened. */
  payload: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: number;
  lease_until: number | null;
  /** JSON array of DeliveryAttempt. */
  log: Generated<string>;
  created_at: number;
  sent_at: number | null;
}

export type Database = CoreDatabase & {
  radar_streams: RadarStreamTable;
  radar_points: RadarPointTable;
  alert_rules: AlertRuleTable;
  alerts: AlertTable;
  alert_channels: AlertChannelTable;
  alert_deliveries: AlertDeliveryTable;
};

/** A Kysely instance or an open transaction over the radar-aware schema. */
export type RadarDb = Kysely<Database> | Transaction<Database>;

/** The application's Kysely instance seen with the radar tables. */
export const withRadar = (db: Kysely<CoreDatabase>): Kysely<Database> => db as unknown as Kysely<Database>;

export type RadarStreamRow = Selectable<RadarStreamTable>;
export type RadarPointRow = Selectable<RadarPointTable>;
export type AlertRuleRow = Selectable<AlertRuleTable>;
export type AlertRow = Selectable<AlertTable>;
export type AlertChannelRow = Selectable<AlertChannelTable>;
export type AlertDeliveryRow = Selectable<AlertDeliveryTable>;
