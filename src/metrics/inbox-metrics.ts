/**
 * Support metrics over cases (pure): answered rate, first-response time and resolution time (median and
 * 90th percentile, calendar time), and SLA attainment, overall and per brand, channel or agent.
 *
 * Definitions (the twcs validation test computes the same from the raw file):
 * - a case counts in the period when it was opened in it;
 * - answered = it has a first response (a reply that reached the customer, or one recorded as sent);
 * - first-response time = first response − opening, over answered cases;
 * - resolution time = resolved − opening, over resolved (or closed) cases;
 * - median = the middle value, or the mean of the two middle values; p90 = nearest rank, the ⌈0.9·n⌉-th smallest;
 * - SLA attainment = met ÷ decided objectives (met, missed, or running past the target), business-hours aware.
 */
import { slaClocks, type CaseTimes, type SlaObjective, type SlaPolicy } from '../inbox/sla.ts';

export interface MetricCase extends CaseTimes {
  brandId: number | null;
  channel: string;
  assigneeId: number | null;
}

export interface Distribution {
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface InboxMetrics {
  cases: number;
  answered: number;
  answeredRate: number | null;
  firstResponse: Distribution;
  resolution: Distribution;
  sla: Record<Exclude<SlaObjective, 'next_response'>, { met: number; decided: number; attainment: number | null }>;
}

export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (!n) return null;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export function distribution(values: number[]): Distribution {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, medianMs: median(s), p90Ms: percentile(s, 0.9) };
}

export function computeMetrics(cases: readonly MetricCase[], policy: SlaPolicy, now: number): InboxMetrics {
  const answered = cases.filter((c) => c.firstResponseAt !== null);
  const resolved = cases.filter((c) => c.resolvedAt !== null);
  const sla = { first_response: { met: 0, decided: 0, attainment: null as number | null }, resolution: { met: 0, decided: 0, attainment: null as number | null } };
  for (const c of cases) {
    for (const k of slaClocks(c, policy, now)) {
      if (k.objective === 'next_response' || !['met', 'missed', 'breached'].includes(k.state)) continue;
      sla[k.objective].decided++;
      if (k.state === 'met') sla[k.objective].met++;
    }
  }
  for (const s of Object.values(sla)) s.attainment = s.decided ? s.met / s.decided : null;
  return {
    cases: cases.length,
    answered: answered.length,
    answeredRate: cases.length ? answered.length / cases.length : null,
    firstResponse: distribution(answered.map((c) => c.firstResponseAt! - c.openedAt)),
    resolution: distribution(resolved.map((c) => c.resolvedAt! - c.openedAt)),
    sla,
  };
}

export type GroupBy = 'brand' | 'channel' | 'agent';

/** Metrics per group key (brand id, channel, assignee id; "none" for cases without one). */
export function metricsBy(cases: readonly MetricCase[], by: GroupBy, policy: SlaPolicy, now: number): { key: string; metrics: InboxMetrics }[] {
  const groups = new Map<string, MetricCase[]>();
  for (const c of cases) {
    const key = String((by === 'brand' ? c.brandId : by === 'channel' ? c.channel : c.assigneeId) ?? 'none');
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, list]) => ({ key, metrics: computeMetrics(list, policy, now) }));
}
