import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { previewBrandQuery } from './brand-preview.ts';

const previewBody = z.object({
  query: z.string().max(4000),
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).max(50).default([]),
  window: z.number().int().min(1).max(20_000).default(2_000),
  limit: z.number().int().min(1).max(100).default(20),
});

export function brandPreviewRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/workspaces/:workspaceId/brand-preview', {
      schema: {
        tags: ['brands'], params: workspaceParams, body: previewBody,
        summary: 'Which of the newest stored mentions (default 2,000) a brand query would have matched; a syntax error comes with its position',
      },
    }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return previewBrandQuery(ctx.db.kysely, req.params.workspaceId, req.body);
    });
  };
}
