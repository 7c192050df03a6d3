import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { idParams, timeParam, workspaceParams } from '../http/params.ts';
import { ValidationError } from '../lib/errors.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { countMentions, getMentionDetail, listMentions } from './mention.repository.ts';
import { streamMentions } from './mention-stream.ts';

const tags = ['mentions'];

export const mentionFilterQuery = z.object({
  brand: z.coerce.number().int().positive().optional(),
  source: z.coerce.number().int().positive().optional(),
  channel: z.string().min(1).max(64).optional(),
  author: z.coerce.number().int().positive().optional(),
  lang: z.string().regex(/^[a-z]{2,3}$/).optional(),
  sentiment: z.enum(['negative', 'neutral', 'positive', 'none']).optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  q: z.string().max(500).optional(),
  duplicates: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export function toFilter(q: z.infer<typeof mentionFilterQuery>) {
  return { brandId: q.brand, sourceId: q.source, channel: q.channel, authorId: q.author, lang: q.lang, sentiment: q.sentiment, from: q.from, to: q.to, q: q.q, duplicates: q.duplicates };
}

const BUCKETS = { '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
const MAX_BUCKETS = 5_000;

export function mentionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/api/workspaces/:workspaceId/mentions';
    app.get(base, {
      schema: {
        tags, summary: 'Mentions, newest first, filtered; page with `cursor` (from `nextCursor`)', params: workspaceParams,
        querystring: mentionFilterQuery.extend({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(ctx.config.http.maxPageSize).default(50) }),
      },
    }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return listMentions(ctx.db.kysely, ctx.db.dialect, req.params.workspaceId, toFilter(req.query), req.query.limit, req.query.cursor);
    });
    app.get(`${base}/counts`, {
      schema: {
        tags, summary: 'Mention counts per time bucket, grouped by brand, sentiment, language or source (a mention counts once per brand)', params: workspaceParams,
        querystring: z.object({
          bucket: z.enum(['5m', '1h', '1d']).default('1h'),
          groupBy: z.enum(['brand', 'sentiment', 'lang', 'source']).default('brand'),
          from: timeParam, to: timeParam.optional(),
          brand: z.union([z.coerce.number().int().positive(), z.array(z.coerce.number().int().positive())]).optional(),
          sentiment: z.enum(['negative', 'neutral', 'positive', 'none']).optional(),
          lang: z.string().regex(/^[a-z]{2,3}$/).optional(),
          source: z.coerce.number().int().positive().optional(),
        }),
      },
    }, async (req) => {
      const q = req.query;
      const to = q.to ?? ctx.clock.now();
      const bucketMs = BUCKETS[q.bucket];
      if ((to - q.from) / bucketMs > MAX_BUCKETS) throw new ValidationError(`that range has more than ${MAX_BUCKETS} ${q.bucket} buckets; use a larger bucket`, { bucket: 'too small for the range' });
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      const brandIds = q.brand === undefined ? undefined : Array.isArray(q.brand) ? q.brand : [q.brand];
      const rows = await countMentions(ctx.db.kysely, req.params.workspaceId, { bucketMs, from: q.from, to, groupBy: q.groupBy, ...(brandIds ? { brandIds } : {}), ...(q.sentiment ? { sentiment: q.sentiment } : {}), ...(q.lang ? { lang: q.lang } : {}), ...(q.source ? { sourceId: q.source } : {}) });
      return { bucket: q.bucket, bucketMs, from: q.from, to, groupBy: q.groupBy, items: rows };
    });
    app.get(`${base}/stream`, {
      schema: { tags, summary: 'Live stream of new mentions (Server-Sent Events, `event: mention`); send Last-Event-ID to catch up after a reconnect', params: workspaceParams, querystring: mentionFilterQuery },
    }, async (req, reply) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      const lastId = Number(req.headers['last-event-id'] ?? NaN);
      await streamMentions(ctx, req.raw, reply, req.params.workspaceId, toFilter(req.query), Number.isSafeInteger(lastId) ? lastId : null);
    });
    app.get(`${base}/:id`, { schema: { tags, summary: 'One mention with its author, brands, and thread (parent and replies)', params: idParams } }, async (req) =>
      getMentionDetail(ctx.db.kysely, req.params.workspaceId, req.params.id),
    );
  };
}
