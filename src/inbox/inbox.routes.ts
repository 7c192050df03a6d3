/**
 * Shared-inbox HTTP API: the case queue and case view, case changes, notes, replies (send, retry, record),
 * saved replies, inbox settings; people and metrics are registered from here too. Handlers parse, call one
 * service and respond; the services apply the `can<Verb><Thing>` rules (routes are `selfAuthorized`).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { idParams, workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import type { Principal } from '../accounts/permissions.ts';
import { principalOf } from '../accounts/auth.hook.ts';
import { peopleRoutes } from '../people/person.routes.ts';
import { metricsRoutes } from '../metrics/metrics.routes.ts';
import { addNote, caseChanges, caseStatus, getCaseView, listCaseQueue, updateCase } from './case.service.ts';
import { externalRepliesInput, recordExternalReplies, replyInput, retryReply, sendReply } from './reply.service.ts';
import { inboxSettingsRoutes } from './inbox-settings.routes.ts';
import { listMyNotices, readNotice } from './notice.service.ts';

const tags = ['inbox'];
const self = { selfAuthorized: true };

const queueQuery = z.object({
  status: z.string().optional().transform((s) => (s ? s.split(',').map((x) => caseStatus.parse(x.trim())) : ['open' as const, 'pending_customer' as const])),
  /** "me", "none" or a user id. */
  assignee: z.string().regex(/^(me|none|\d+)$/).optional(),
  brandId: z.coerce.number().int().positive().optional(),
  personId: z.coerce.number().int().positive().optional(),
  tag: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

function assigneeFilter(a: string | undefined, p: Principal): number | null | undefined {
  if (a === undefined) return undefined;
  if (a === 'none') return null;
  return a === 'me' ? (p.userId ?? -1) : Number(a);
}

export function inboxRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/api/workspaces/:workspaceId/cases';
    const caseParams = idParams;
    app.get(base, { schema: { tags, summary: 'The case queue: escalated first, then by priority; with SLA clocks', params: workspaceParams, querystring: queueQuery } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      const q = req.query;
      const assigneeId = assigneeFilter(q.assignee, principalOf(req));
      const filter = { status: q.status, ...(assigneeId !== undefined ? { assigneeId } : {}), ...(q.brandId ? { brandId: q.brandId } : {}), ...(q.personId ? { personId: q.personId } : {}), ...(q.tag ? { tag: q.tag } : {}) };
      return { items: await listCaseQueue(ctx, req.params.workspaceId, filter, q.limit, q.offset) };
    });
    app.get(`${base}/:id`, { schema: { tags, summary: 'A case with its thread, replies, notes, events and SLA clocks', params: caseParams } }, async (req) => getCaseView(ctx, req.params.workspaceId, req.params.id));
    app.patch(`${base}/:id`, { config: self, schema: { tags, summary: 'Change status, assignee (id, null or "round-robin") or tags', params: caseParams, body: caseChanges } }, async (req) =>
      updateCase(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.body),
    );
    app.post(`${base}/:id/notes`, { config: self, schema: { tags, summary: 'Add an internal note (never sent to the customer)', params: caseParams, body: z.object({ text: z.string().trim().min(1).max(10_000) }) } }, async (req, reply) =>
      reply.status(201).send(await addNote(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.body.text)),
    );
    app.post(`${base}/:id/replies`, { config: self, schema: { tags, summary: 'Reply to the customer through the channel; the text is kept whatever the delivery outcome', params: caseParams, body: replyInput } }, async (req, reply) =>
      reply.status(201).send(await sendReply(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.body)),
    );
    app.post(`${base}/:id/replies/:replyId/retry`, { config: self, schema: { tags, summary: 'Send a failed reply again now', params: caseParams.extend({ replyId: z.coerce.number().int().positive() }) } }, async (req) =>
      retryReply(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.params.replyId),
    );
    app.post('/api/workspaces/:workspaceId/inbox/external-replies', { config: self, schema: { tags, summary: 'Record replies sent outside Earshot (count for metrics and SLAs); up to 1000 per call', params: workspaceParams, body: externalRepliesInput } }, async (req) =>
      recordExternalReplies(ctx, principalOf(req), req.params.workspaceId, req.body.replies),
    );
    app.get('/api/notices', { schema: { tags, summary: "The signed-in user's in-app notices (SLA warnings, escalations), newest first", querystring: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }) } }, async (req) => ({
      items: await listMyNotices(ctx, principalOf(req), req.query.unread === 'true', req.query.limit),
    }));
    app.post('/api/notices/:id/read', { config: self, schema: { tags, summary: 'Mark one of your notices read', params: z.object({ id: z.coerce.number().int().positive() }) } }, async (req, reply) => {
      await readNotice(ctx, principalOf(req), req.params.id);
      return reply.status(204).send();
    });
    await app.register(inboxSettingsRoutes(ctx));
    await app.register(peopleRoutes(ctx));
    await app.register(metricsRoutes(ctx));
  };
}
