/** Overview aggregates that the counts endpoint does not cover (top authors by reach). */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { timeParam, workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { findTopAuthors } from './insights.repository.ts';

const tags = ['insights'];
const DAY_MS = 86_400_000;

export const insightQuery = z.object({
  from: timeParam.optional(),
  to: timeParam.optional(),
  brand: z.coerce.number().int().positive().optional(),
  source: z.coerce.number().int().positive().optional(),
  lang: z.string().regex(/^[a-z]{2,3}$/).optional(),
  sentiment: z.enum(['negative', 'neutral', 'positive', 'none']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

export function insightRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/workspaces/:workspaceId/insights/top-authors', {
      schema: {
        tags, params: workspaceParams, querystring: insightQuery,
        summary: 'Authors with the most reach in a range (default: the last 7 days): by followers, then mention count, then engagement; near-duplicates are not counted',
      },
    }, async (req) => {
      const { limit, from, to, brand, source, lang, sentiment } = req.query;
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      const end = to ?? ctx.clock.now();
      const filter = { from: from ?? end - 7 * DAY_MS, to: end, brandId: brand, sourceId: source, lang, sentiment };
      return { from: filter.from, to: filter.to, items: await findTopAuthors(ctx.db.kysely, req.params.workspaceId, filter, limit) };
    });
  };
}
