import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { pingDb } from '../db/connection.ts';

const started = Date.now();

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/health', { schema: { tags: ['system'], summary: 'Liveness and database reachability' } }, async (_req, reply) => {
      try {
        await pingDb(ctx.db);
        return { status: 'ok', database: ctx.db.describe, dialect: ctx.db.dialect, uptimeSeconds: Math.round((Date.now() - started) / 1000) };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: ctx.db.describe, dialect: ctx.db.dialect });
      }
    });
  };
}
