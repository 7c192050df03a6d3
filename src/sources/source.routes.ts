import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { idParams, workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { deleteSource, getSourceById, listSourceEvents, listSources } from './source.repository.ts';
import { createSource, fetchSourceNow, sourceChanges, sourceInput, toSourceView, updateSource } from './source.service.ts';
import { sourceKinds } from './registry.ts';
import { countPendingDeadLetters, listDeadLetters } from '../pipeline/dead-letter.repository.ts';
import { discardDeadLetter, retryDeadLetter } from '../pipeline/dead-letter.service.ts';

const tags = ['sources'];

export function sourceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/api/workspaces/:workspaceId/sources';
    app.get('/api/source-kinds', { schema: { tags, summary: 'Source kinds and their settings' } }, async () => ({
      items: sourceKinds().map((k) => ({ kind: k.kind, label: k.label, secrets: k.secrets, settings: z.toJSONSchema(k.settings, { unrepresentable: 'any' }) })),
    }));
    app.get(base, { schema: { tags, summary: 'List sources with status and counters', params: workspaceParams } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      const items = await listSources(ctx.db.kysely, req.params.workspaceId);
      return { items: await Promise.all(items.map(async (s) => ({ ...toSourceView(s), pendingDeadLetters: await countPendingDeadLetters(ctx.db.kysely, s.workspaceId, s.id) }))) };
    });
    app.post(base, { schema: { tags, summary: 'Add a source (settings are checked for its kind; a webhook gets a signing secret)', params: workspaceParams, body: sourceInput } }, async (req, reply) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      // The full settings are shown once, on creation, so the webhook secret can be copied to the sender.
      return reply.status(201).send(await createSource(ctx, req.params.workspaceId, req.body));
    });
    app.get(`${base}/:id`, { schema: { tags, summary: 'One source', params: idParams } }, async (req) => toSourceView(await getSourceById(ctx.db.kysely, req.params.workspaceId, req.params.id)));
    app.patch(`${base}/:id`, { schema: { tags, summary: 'Change, pause (enabled=false) or resume a source', params: idParams, body: sourceChanges } }, async (req) =>
      toSourceView(await updateSource(ctx, req.params.workspaceId, req.params.id, req.body)),
    );
    app.delete(`${base}/:id`, { schema: { tags, summary: 'Remove a source and its mentions', params: idParams } }, async (req, reply) => {
      await deleteSource(ctx.db.kysely, req.params.workspaceId, req.params.id);
      return reply.status(204).send();
    });
    app.post(`${base}/:id/fetch`, { schema: { tags, summary: 'Fetch now instead of waiting for the schedule', params: idParams } }, async (req, reply) =>
      reply.status(202).send(toSourceView(await fetchSourceNow(ctx, req.params.workspaceId, req.params.id))),
    );
    app.get(`${base}/:id/events`, { schema: { tags, summary: 'Run history and errors, newest first', params: idParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) } }, async (req) => {
      await getSourceById(ctx.db.kysely, req.params.workspaceId, req.params.id);
      return { items: await listSourceEvents(ctx.db.kysely, req.params.id, req.query.limit) };
    });
    deadLetterRoutes(app, ctx);
  };
}

function deadLetterRoutes(app: Parameters<FastifyPluginAsyncZod>[0], ctx: AppContext): void {
  const base = '/api/workspaces/:workspaceId/dead-letters';
  const dtags = ['dead letters'];
  const query = z.object({
    status: z.enum(['pending', 'retried', 'discarded']).optional(),
    sourceId: z.coerce.number().int().positive().optional(),
    beforeId: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(ctx.config.http.maxPageSize).default(50),
  });
  app.get(base, { schema: { tags: dtags, summary: 'Items that could not be stored, with the reason', params: workspaceParams, querystring: query } }, async (req) => {
    const { limit, ...f } = req.query;
    return { items: await listDeadLetters(ctx.db.kysely, req.params.workspaceId, f, limit) };
  });
  app.post(`${base}/:id/retry`, { schema: { tags: dtags, summary: 'Run the item through the pipeline again, optionally corrected', params: idParams, body: z.object({ item: z.record(z.string(), z.unknown()).optional() }).optional() } }, async (req) =>
    retryDeadLetter(ctx, req.params.workspaceId, req.params.id, req.body?.item),
  );
  app.post(`${base}/:id/discard`, { schema: { tags: dtags, summary: 'Give up on an item (kept, marked discarded)', params: idParams } }, async (req) => discardDeadLetter(ctx, req.params.workspaceId, req.params.id));
}
