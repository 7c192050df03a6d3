/** Inbox metrics (answered rate, response and resolution times, SLA attainment) overall and per brand, channel or agent. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { timeParam, workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { getInboxMetrics } from './metrics.service.ts';

export function metricsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const querystring = z.object({ from: timeParam.optional(), to: timeParam.optional(), brandId: z.coerce.number().int().positive().optional(), groupBy: z.enum(['brand', 'channel', 'agent']).optional() });
    app.get('/api/workspaces/:workspaceId/metrics/inbox', { schema: { tags: ['metrics'], summary: 'Support metrics of cases opened in [from, to)', params: workspaceParams, querystring } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      const q = req.query;
      const f = { ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}), ...(q.brandId ? { brandId: q.brandId } : {}) };
      return getInboxMetrics(ctx, req.params.workspaceId, f, q.groupBy ?? null);
    });
  };
}
