/** Reads the case times the metrics need. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { inboxDb } from '../inbox/inbox-tables.ts';
import type { MetricCase } from './inbox-metrics.ts';

export interface MetricsFilter {
  from?: number;
  to?: number;
  brandId?: number;
}

/** Cases opened in [from, to) of the workspace (at most `limit`, oldest first). */
export async function listMetricCases(db: Kysely<Database>, workspaceId: number, f: MetricsFilter, limit: number): Promise<MetricCase[]> {
  let q = inboxDb(db)
    .selectFrom('cases')
    .select(['brand_id', 'channel', 'assignee_id', 'opened_at', 'first_response_at', 'awaiting_since', 'pending_since', 'paused_ms', 'resolved_at'])
    .where('workspace_id', '=', workspaceId);
  if (f.from !== undefined) q = q.where('opened_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('opened_at', '<', f.to);
  if (f.brandId !== undefined) q = q.where('brand_id', '=', f.brandId);
  const rows = await q.orderBy('opened_at').limit(limit).execute();
  return rows.map((r) => ({
    brandId: r.brand_id, channel: r.channel, assigneeId: r.assignee_id, openedAt: r.opened_at, firstResponseAt: r.first_response_at,
    awaitingSince: r.awaiting_since, pendingSince: r.pending_since, pausedMs: r.paused_ms, resolvedAt: r.resolved_at,
  }));
}
