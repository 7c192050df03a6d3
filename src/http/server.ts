/**
 * The Fastify server: strict JSON parsing, one error shape, OpenAPI at /api/openapi.json with browsable
 * docs at /api/docs, and the feature routes. Handlers parse, call one service and respond.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { installErrorHandler, installStrictJsonParser } from './error-handler.ts';
import { healthRoutes } from './health.routes.ts';
import { brandRoutes } from '../brands/brand.routes.ts';
import { sourceRoutes } from '../sources/source.routes.ts';
import { mentionRoutes } from '../mentions/mention.routes.ts';
import { webhookRoutes } from '../sources/webhook/webhook.routes.ts';
import { workspaceRoutes } from '../workspaces/workspace.routes.ts';
import { webRoutes } from './web.routes.ts';
import { insightRoutes } from '../insights/insights.routes.ts';
import { brandPreviewRoutes } from '../brands/brand-preview.routes.ts';
import { installAuth } from '../accounts/auth.hook.ts';
import { accountRoutes } from '../accounts/account.routes.ts';
import { inboxRoutes } from '../inbox/inbox.routes.ts';
import { alertRoutes } from '../alerts/alert.routes.ts';
import { radarRoutes } from '../radar/radar.routes.ts';
import { correctionRoutes } from '../corrections/correction.routes.ts';

export type App = FastifyInstance;

export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.http.maxBodyBytes,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.removeContentTypeParser('application/json');
  installStrictJsonParser(app);
  installErrorHandler(app);
  installAuth(app, ctx);
  // Per-request access logs only at warn level: a live stream or a polling dashboard would flood info.
  const quiet = { logLevel: 'warn' as const };
  await app.register(swagger, {
    openapi: {
      info: { title: 'Earshot API', version: '0.1.0', description: 'Listen, understand, catch crises, respond. Errors are `{ "error": { "code", "message", "fields"? } }`.' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes(ctx), quiet);
  await app.register(workspaceRoutes(ctx), quiet);
  await app.register(brandRoutes(ctx), quiet);
  await app.register(sourceRoutes(ctx), quiet);
  await app.register(mentionRoutes(ctx), quiet);
  await app.register(webhookRoutes(ctx), quiet);
  await app.register(insightRoutes(ctx), quiet);
  await app.register(brandPreviewRoutes(ctx), quiet);
  await app.register(accountRoutes(ctx), quiet);
  await app.register(inboxRoutes(ctx), quiet);
  await app.register(alertRoutes(ctx), quiet);
  await app.register(radarRoutes(ctx), quiet);
  await app.register(correctionRoutes(ctx), quiet);
  await app.register(webRoutes(ctx), quiet);
  return app;
}
