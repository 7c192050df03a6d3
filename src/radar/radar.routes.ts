import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { idParams, timeParam, workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { getStreamSeries, listStreamSummaries } from './radar-query.service.ts';

const tags = ['radar'];

export function radarRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/api/workspaces/:workspaceId/radar/streams';
    const listQuery = z.object({ brandId: z.coerce.number().int().positive().optional(), kind: z.enum(['volume', 'negative', 'topic']).optional() });
    app.get(base, { schema: { tags, summary: 'Radar streams with their open bucket, score and expected band', params: workspaceParams, querystring: listQuery } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return { items: await listStreamSummaries(ctx, req.params.workspaceId, req.query) };
    });
    const seriesQuery = z.object({ from: timeParam.optional(), to: timeParam.optional() });
    app.get(`${base}/:id`, { schema: { tags, summary: 'A stream\'s 5-minute points (count, score, expected band) and alert markers; default the last 24 hours', params: idParams, querystring: seriesQuery } }, async (req) => {
      const to = req.query.to ?? ctx.clock.now() + 300_000;
      const from = req.query.from ?? to - 86_400_000;
      return getStreamSeries(ctx, req.params.workspaceId, req.params.id, { from, to });
    });
  };
}
