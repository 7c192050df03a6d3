import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { insertWorkspace, listWorkspaces } from './workspace.repository.ts';

export function workspaceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/workspaces', { schema: { tags: ['workspaces'], summary: 'List workspaces' } }, async () => ({ items: await listWorkspaces(ctx.db.kysely) }));
    app.post(
      '/api/workspaces',
      { schema: { tags: ['workspaces'], summary: 'Create a workspace', body: z.object({ name: z.string().trim().min(1).max(120) }) } },
      async (req, reply) => reply.status(201).send(await insertWorkspace(ctx.db.kysely, req.body.name, ctx.clock.now())),
    );
  };
}
