/** Inbox settings (intake rules, SLA policy, reply webhook) and saved replies. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { idParams, workspaceParams } from '../http/params.ts';
import { canManageInboxSettings, canManageTemplates, ensure, type Principal } from '../accounts/permissions.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { getInboxSettings, saveInboxSettings } from './inbox-settings.repository.ts';
import { settingsInput } from './inbox-settings.ts';
import { templateInput } from './reply-template.ts';
import * as templates from './reply-template.repository.ts';
import { renderCaseTemplate } from './template.service.ts';
import { principalOf } from '../accounts/auth.hook.ts';

const tags = ['inbox'];
const self = { selfAuthorized: true };
const MASK = '••••••••';
/** Settings as sent by a form: the webhook secret may be the mask (keep the stored one). */
const settingsBody = settingsInput.extend({ replyWebhook: z.object({ url: z.string(), secret: z.string() }).nullable().optional() });

export function inboxSettingsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const path = '/api/workspaces/:workspaceId/inbox/settings';
    app.get(path, { schema: { tags, summary: 'Intake rules, SLA policy and reply webhook (secret masked)', params: workspaceParams } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      const { cursor: _cursor, ...s } = await getInboxSettings(ctx.db.kysely, req.params.workspaceId);
      return { ...s, replyWebhook: s.replyWebhook ? { ...s.replyWebhook, secret: MASK } : null };
    });
    const change = { config: self, schema: { tags, summary: 'Change intake rules, SLA policy or reply webhook (admins); parts left out stay as they are', params: workspaceParams, body: settingsBody } };
    const save = async (p: Principal, workspaceId: number, body: z.output<typeof settingsBody>) => {
      ensure(canManageInboxSettings(p), 'change inbox settings (admins only)');
      await getWorkspaceById(ctx.db.kysely, workspaceId);
      const current = await getInboxSettings(ctx.db.kysely, workspaceId);
      const hook = body.replyWebhook;
      // The masked secret sent back unchanged by a form keeps the stored one.
      const parsed = settingsInput.parse({ ...body, ...(hook ? { replyWebhook: { ...hook, secret: hook.secret === MASK && current.replyWebhook ? current.replyWebhook.secret : hook.secret } } : {}) });
      const next = { rules: parsed.rules ?? current.rules, sla: parsed.sla ?? current.sla, replyWebhook: parsed.replyWebhook === undefined ? current.replyWebhook : parsed.replyWebhook };
      await saveInboxSettings(ctx.db.kysely, workspaceId, next, ctx.clock.now());
      return { ...next, replyWebhook: next.replyWebhook ? { ...next.replyWebhook, secret: MASK } : null };
    };
    app.put(path, change, async (req) => save(principalOf(req), req.params.workspaceId, req.body));
    app.patch(path, change, async (req) => save(principalOf(req), req.params.workspaceId, req.body));
    const tpl = '/api/workspaces/:workspaceId/reply-templates';
    app.get(tpl, { schema: { tags, summary: 'Saved replies', params: workspaceParams } }, async (req) => ({ items: await templates.listTemplates(ctx.db.kysely, req.params.workspaceId) }));
    app.post(tpl, { config: self, schema: { tags, summary: 'Add a saved reply with language variants', params: workspaceParams, body: templateInput } }, async (req, reply) => {
      ensure(canManageTemplates(principalOf(req)), 'manage saved replies');
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return reply.status(201).send(await templates.insertTemplate(ctx.db.kysely, req.params.workspaceId, req.body, ctx.clock.now()));
    });
    app.put(`${tpl}/:id`, { config: self, schema: { tags, summary: 'Change a saved reply', params: idParams, body: templateInput } }, async (req) => {
      ensure(canManageTemplates(principalOf(req)), 'manage saved replies');
      return templates.updateTemplate(ctx.db.kysely, req.params.workspaceId, req.params.id, req.body, ctx.clock.now());
    });
    app.delete(`${tpl}/:id`, { config: self, schema: { tags, summary: 'Delete a saved reply', params: idParams } }, async (req, reply) => {
      ensure(canManageTemplates(principalOf(req)), 'manage saved replies');
      await templates.deleteTemplate(ctx.db.kysely, req.params.workspaceId, req.params.id);
      return reply.status(204).send();
    });
    app.post('/api/workspaces/:workspaceId/cases/:id/render-template', { schema: { tags, summary: "Fill a saved reply for the case (its language, the customer's name …)", params: idParams, body: z.object({ templateId: z.number().int().positive(), lang: z.string().regex(/^[a-z]{2}$/).optional() }) }, config: self }, async (req) =>
      renderCaseTemplate(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.body.templateId, req.body.lang),
    );
  };
}
