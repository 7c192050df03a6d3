import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { receiveWebhook } from './webhook.service.ts';

export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // The signature covers the exact bytes, so this route keeps the raw body instead of parsing JSON.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post(
      '/api/ingest/webhook/:sourceId',
      {
        schema: {
          tags: ['ingest'],
          summary: 'Receive mentions signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); 401 when the signature is wrong',
          params: z.object({ sourceId: z.coerce.number().int().positive() }),
        },
      },
      async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const receipt = await receiveWebhook(ctx, req.params.sourceId, req.headers, body);
        return reply.status(receipt.duplicate ? 200 : 202).send(receipt);
      },
    );
  };
}
