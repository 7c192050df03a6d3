/**
 * The Overview's aggregates: volume per brand and totals by brand, sentiment, language and source (from the
 * hourly roll-up, fast at any volume), and top authors by reach.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { timeParam, workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { ValidationError } from '../lib/errors.ts';
import { findTopAuthors } from './insights.repository.ts';
import { BUCKET_MS, findTotals, findVolume } from './overview.repository.ts';

const tags = ['insights'];
const DAY_MS = 86_400_000;
const MAX_BUCKETS = 5_000;

const overviewQuery = z.object({
  from: timeParam,
  to: timeParam.optional(),
  bucket: z.enum(['5m', '1h', '1d']).default('1h'),
  brand: z.coerce.number().int().positive().optional(),
});

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
    app.get('/api/workspaces/:workspaceId/insights/overview', {
      schema: {
        tags, params: workspaceParams, querystring: overviewQuery,
        summary: 'Volume per brand per bucket (whole buckets) and exact totals by brand, sentiment, language and source for [from, to); a mention counts once per brand; keys are strings ("" = none)',
      },
    }, async (req) => {
      const { from, bucket, brand } = req.query;
      const to = req.query.to ?? ctx.clock.now();
      if (to <= from) throw new ValidationError('"to" must be after "from"', { to: 'not after from' });
      if ((to - from) / BUCKET_MS[bucket] > MAX_BUCKETS) throw new ValidationError(`that range has more than ${MAX_BUCKETS} ${bucket} buckets; use a larger bucket`, { bucket: 'too small for the range' });
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      const db = ctx.db.kysely;
      const [volume, totals] = await Promise.all([
        findVolume(db, req.params.workspaceId, { from, to }, bucket, brand),
        findTotals(db, req.params.workspaceId, { from, to }, brand),
      ]);
      return { from, to, bucket, bucketMs: BUCKET_MS[bucket], volume, totals };
    });
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
