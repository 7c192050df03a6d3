/** People: list, profile (identities, cases, timeline, repeat and churn flags), merge and split, verified handles. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { idParams, workspaceParams } from '../http/params.ts';
import { principalOf } from '../accounts/auth.hook.ts';
import { listPeople } from './person.repository.ts';
import { getPersonProfile, mergePeople, splitIdentity } from './person.service.ts';
import { unverifyHandle, verifyHandle, verifyHandleInput } from './verified-handle.service.ts';

const tags = ['people'];
const self = { selfAuthorized: true };

export function peopleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/api/workspaces/:workspaceId/people';
    app.get(base, { schema: { tags, summary: 'People, newest first; q filters by name', params: workspaceParams, querystring: z.object({ q: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }) } }, async (req) => ({
      items: await listPeople(ctx.db.kysely, req.params.workspaceId, req.query.q, req.query.limit),
    }));
    app.get(`${base}/:id`, { schema: { tags, summary: 'A person across channels: identities, cases, mentions, repeat-complainer flag, churn risk', params: idParams } }, async (req) => getPersonProfile(ctx, req.params.workspaceId, req.params.id));
    app.post(`${base}/:id/merge`, { config: self, schema: { tags, summary: 'Merge another person into this one', params: idParams, body: z.object({ fromId: z.number().int().positive() }) } }, async (req) =>
      mergePeople(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.body.fromId),
    );
    app.post(`${base}/:id/split`, { config: self, schema: { tags, summary: 'Split one identity off into a new person', params: idParams, body: z.object({ authorId: z.number().int().positive() }) } }, async (req, reply) =>
      reply.status(201).send(await splitIdentity(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.body.authorId)),
    );
    app.post(`${base}/:id/handles`, { config: self, schema: { tags, summary: "Verify a handle as this person's: authors with it join the person automatically (agents)", params: idParams, body: verifyHandleInput } }, async (req, reply) =>
      reply.status(201).send(await verifyHandle(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.body)),
    );
    app.delete(`${base}/:id/handles/:handleId`, { config: self, schema: { tags, summary: 'Forget a verified handle (links already made stay)', params: idParams.extend({ handleId: z.coerce.number().int().positive() }) } }, async (req) =>
      unverifyHandle(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.params.handleId),
    );
  };
}
