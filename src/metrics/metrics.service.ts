/** Inbox metrics for a workspace: overall and per brand, channel or agent, under the workspace's SLA policy. */
import type { AppContext } from '../app-context.ts';
import { ValidationError } from '../lib/errors.ts';
import { getInboxSettings } from '../inbox/inbox-settings.repository.ts';
import { computeMetrics, metricsBy, type GroupBy, type InboxMetrics } from './inbox-metrics.ts';
import { listMetricCases, type MetricsFilter } from './metrics.repository.ts';

/** More cases than this in one period must be narrowed down (by time or brand) instead of read at once. */
const MAX_CASES = 200_000;

export interface MetricsReport {
  overall: InboxMetrics;
  groupBy: GroupBy | null;
  groups: { key: string; metrics: InboxMetrics }[];
}

export async function getInboxMetrics(ctx: AppContext, workspaceId: number, f: MetricsFilter, groupBy: GroupBy | null): Promise<MetricsReport> {
  const cases = await listMetricCases(ctx.db.kysely, workspaceId, f, MAX_CASES + 1);
  if (cases.length > MAX_CASES) throw new ValidationError(`More than ${MAX_CASES} cases in the period: narrow it (from/to or brandId)`, { from: 'too wide' });
  const { sla } = await getInboxSettings(ctx.db.kysely, workspaceId);
  const now = ctx.clock.now();
  return { overall: computeMetrics(cases, sla, now), groupBy, groups: groupBy ? metricsBy(cases, groupBy, sla, now) : [] };
}
