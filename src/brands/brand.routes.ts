import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { idParams, workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { getBrandById, listBrands } from './brand.repository.ts';
import { brandInput, createBrand, deleteBrand, updateBrand } from './brand.service.ts';
import { validateQuery } from './query/query.parser.ts';

const tags = ['brands'];

export function brandRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/api/workspaces/:workspaceId/brands';
    app.get(base, { schema: { tags, summary: 'List brands (own first, then competitors)', params: workspaceParams } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return { items: await listBrands(ctx.db.kysely, req.params.workspaceId) };
    });
    app.post(base, { schema: { tags, summary: 'Create a brand with its boolean query', params: workspaceParams, body: brandInput } }, async (req, reply) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return reply.status(201).send(await createBrand(ctx, req.params.workspaceId, req.body));
    });
    app.get(`${base}/:id`, { schema: { tags, summary: 'One brand', params: idParams } }, async (req) => getBrandById(ctx.db.kysely, req.params.workspaceId, req.params.id));
    app.patch(`${base}/:id`, { schema: { tags, summary: 'Change a brand', params: idParams, body: brandInput.partial() } }, async (req) => updateBrand(ctx, req.params.workspaceId, req.params.id, req.body));
    app.delete(`${base}/:id`, { schema: { tags, summary: 'Delete a brand (its mention links go with it)', params: idParams } }, async (req, reply) => {
      await deleteBrand(ctx, req.params.workspaceId, req.params.id);
      return reply.status(204).send();
    });
    app.post(
      '/api/brand-queries/validate',
      { schema: { tags, summary: 'Check a brand query; a syntax error comes with its position', body: z.object({ query: z.string().max(10_000) }) } },
      async (req) => validateQuery(req.body.query),
    );
  };
}
