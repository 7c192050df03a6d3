import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { idParams, timeParam, workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { withRadar } from '../radar/radar.schema.ts';
import { listAlerts } from './alert.repository.ts';
import { RULE_KINDS } from './alert-rules.ts';
import { canHandleAlert } from './alert-permissions.ts';
import { principalOf } from '../accounts/auth.hook.ts';
import { ensure } from '../accounts/permissions.ts';
import { deleteChannel, listChannels } from './alert-channel.repository.ts';
import { acknowledgeAlert, channelChanges, channelInput, createChannel, editChannel, getAlertDetail, listRules, redactChannel, resolveAlert, ruleInput, testChannel, updateRule } from './alert.service.ts';

const tags = ['alerts'];

export function alertRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/api/workspaces/:workspaceId/alerts';
    const db = () => withRadar(ctx.db.kysely);
    const listQuery = z.object({
      status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
      brandId: z.coerce.number().int().positive().optional(),
      streamId: z.coerce.number().int().positive().optional(),
      rule: z.enum(RULE_KINDS).optional(),
      from: timeParam.optional(),
      to: timeParam.optional(),
      before: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    });
    app.get(base, { schema: { tags, summary: 'Alerts, newest first (keyset paging with `before` = the last id)', params: workspaceParams, querystring: listQuery } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      const { limit, rule, ...filter } = req.query;
      const items = await listAlerts(db(), req.params.workspaceId, { ...filter, ...(rule ? { rule } : {}) }, limit);
      return { items, nextBefore: items.length === limit ? items[items.length - 1]!.id : null };
    });
    app.get(`${base}/rules`, { schema: { tags, summary: 'The alert rules (created with defaults on first use)', params: workspaceParams } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return { items: await listRules(ctx, req.params.workspaceId) };
    });
    app.patch(`${base}/rules/:id`, { schema: { tags, summary: 'Tune or mute a rule', params: idParams, body: ruleInput } }, async (req) => updateRule(ctx, req.params.workspaceId, req.params.id, req.body));
    app.get(`${base}/channels`, { schema: { tags, summary: 'Notification channels (webhook secrets redacted)', params: workspaceParams } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return { items: (await listChannels(db(), req.params.workspaceId)).map(redactChannel) };
    });
    app.post(`${base}/channels`, { schema: { tags, summary: 'Add a channel; a webhook channel answers with its signing secret (shown once)', params: workspaceParams, body: channelInput } }, async (req, reply) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return reply.status(201).send(await createChannel(ctx, req.params.workspaceId, req.body));
    });
    app.patch(`${base}/channels/:id`, { schema: { tags, summary: 'Edit a channel (name, target, minimum severity, on/off; `rotateSecret` gives a webhook a new secret, shown once)', params: idParams, body: channelChanges } }, async (req) => editChannel(ctx, req.params.workspaceId, req.params.id, req.body));
    app.delete(`${base}/channels/:id`, { schema: { tags, summary: 'Remove a channel', params: idParams } }, async (req, reply) => {
      await deleteChannel(db(), req.params.workspaceId, req.params.id);
      return reply.status(204).send();
    });
    app.post(`${base}/channels/:id/test`, { schema: { tags, summary: 'Send a test message to a channel now and report what the target answered', params: idParams } }, async (req) => testChannel(ctx, req.params.workspaceId, req.params.id));
    app.get(`${base}/:id`, { schema: { tags, summary: 'One alert with its explanation, the mentions behind it and its deliveries', params: idParams } }, async (req) => getAlertDetail(ctx, req.params.workspaceId, req.params.id));
    // Incident work, not configuration: agents may do it too (see alert-permissions.ts).
    const incident = { selfAuthorized: true };
    app.post(`${base}/:id/acknowledge`, { config: incident, schema: { tags, summary: 'Acknowledge an alert (someone is on it); agents and admins', params: idParams } }, async (req) => {
      ensure(canHandleAlert(principalOf(req)), 'acknowledge alerts (agents and admins)');
      return acknowledgeAlert(ctx, req.params.workspaceId, req.params.id);
    });
    app.post(`${base}/:id/resolve`, { config: incident, schema: { tags, summary: 'Resolve an alert (channels are told); agents and admins', params: idParams } }, async (req) => {
      ensure(canHandleAlert(principalOf(req)), 'resolve alerts (agents and admins)');
      return resolveAlert(ctx, req.params.workspaceId, req.params.id);
    });
  };
}
