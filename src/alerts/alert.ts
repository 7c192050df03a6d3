/** The Alert as services, notifiers and the API see it (never a database row). */
import { parseJson } from '../db/json.ts';
import type { AlertRow, AlertStatus, RuleKind, Severity, StreamKind } from '../radar/radar.schema.ts';

export interface TermCount {
  term: string;
  count: number;
  /** How much more frequent the term is in the incident than in the day before it. */
  lift: number;
}

export interface RepresentativeMention {
  id: number;
  text: string;
  url: string | null;
  publishedAt: number;
  author: string | null;
  followers: number | null;
  sentiment: string | null;
}

export interface AuthorReachSummary {
  handle: string;
  name: string | null;
  followers: number;
  mentions: number;
}

/**
 * Why an alert fired, in data: the sentence for people is `summary`; the rest backs it up.
 * `observed` and `expected` are per 5-minute bucket for stream rules, engagement per hour for viral
 * mentions and effective audience for influential complaints (`unit` says which).
 */
export interface AlertExplanation {
  summary: string;
  unit: 'mentions per 5 minutes' | 'weighted engagement per hour' | 'audience';
  brand: { id: number; name: string } | null;
  stream: { id: number; kind: StreamKind; topic: string } | null;
  observed: number;
  expected: number | null;
  /** Above this the detector alone would alert (stream rules). */
  upper: number | null;
  since: number;
  peakAt: number;
  window: { from: number; to: number };
  /** Mentions in the incident window behind the alert. */
  mentions: number;
  topTerms: TermCount[];
  topTopics: { topic: string; count: number }[];
  representative: RepresentativeMention[];
  topAuthors: AuthorReachSummary[];
  /** The detector's component surprises at the peak, in alert units (stream rules); alerts raised before the
   *  volatility component existed have no `volatility`. */
  detector: { extremity: number; seasonal: number; novelty: number; volatility?: number } | null;
}

export interface Alert {
  id: number;
  workspaceId: number;
  ruleId: number;
  rule: RuleKind;
  brandId: number | null;
  streamId: number | null;
  mentionId: number | null;
  dedupeKey: string;
  status: AlertStatus;
  severity: Severity;
  title: string;
  score: number;
  peakScore: number;
  observed: number;
  expected: number | null;
  explanation: AlertExplanation;
  startedAt: number;
  lastSeenAt: number;
  updates: number;
  /** `observed` when subscribers were last told. */
  notifiedObserved: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

export function toAlert(r: AlertRow): Alert {
  return {
    id: r.id, workspaceId: r.workspace_id, ruleId: r.rule_id, rule: r.rule_kind, brandId: r.brand_id, streamId: r.stream_id, mentionId: r.mention_id,
    dedupeKey: r.dedupe_key, status: r.status, severity: r.severity, title: r.title, score: r.score, peakScore: r.peak_score,
    observed: r.observed, expected: r.expected, explanation: parseJson<AlertExplanation>(r.explanation, {} as AlertExplanation),
    startedAt: Number(r.started_at), lastSeenAt: Number(r.last_seen_at), updates: r.updates, notifiedObserved: r.notified_observed,
    acknowledgedAt: num(r.acknowledged_at), resolvedAt: num(r.resolved_at), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}
