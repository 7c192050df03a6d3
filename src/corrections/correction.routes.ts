import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { principalOf } from '../accounts/auth.hook.ts';
import { idParams, workspaceParams } from '../http/params.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import { findCorrectionByMention, listCorrections } from './correction.repository.ts';
import { correctionInput, correctMention, getModelStatus, retrainWorkspaceModel } from './correction.service.ts';
import type { Database } from './correction.tables.ts';
import { workspaceModelsOf } from './workspace-models.runtime.ts';
import type { Kysely } from 'kysely';

const tags = ['understanding'];

export function correctionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const ws = '/api/workspaces/:workspaceId';
    const db = () => ctx.db.kysely as unknown as Kysely<Database>;
    // Case work, not configuration: agents may do it too (correction.service.ts applies canCorrectMention).
    const casework = { selfAuthorized: true };
    app.post(`${ws}/mentions/:id/correction`, {
      config: casework,
      schema: { tags, summary: "Correct a mention's sentiment and/or topics (agents and admins); applied to the mention now, learned by the workspace model a minute after the last correction (or at an explicit retraining)", params: idParams, body: correctionInput },
    }, async (req) => {
      const correction = await correctMention(ctx, principalOf(req), req.params.workspaceId, req.params.id, req.body);
      workspaceModelsOf(ctx).correctionStored(req.params.workspaceId);
      return correction;
    });
    app.get(`${ws}/mentions/:id/correction`, { schema: { tags, summary: "The mention's correction, or null", params: idParams } }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return { correction: await findCorrectionByMention(db(), req.params.workspaceId, req.params.id) };
    });
    app.get(`${ws}/corrections`, {
      schema: { tags, summary: "The workspace's corrections, newest first", params: workspaceParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
    }, async (req) => {
      await getWorkspaceById(ctx.db.kysely, req.params.workspaceId);
      return { items: await listCorrections(db(), req.params.workspaceId, req.query.limit) };
    });
    app.get(`${ws}/understanding/model`, { schema: { tags, summary: "The workspace model: when it was trained, on how many corrections, how many are pending", params: workspaceParams } }, async (req) =>
      getModelStatus(ctx, req.params.workspaceId));
    app.post(`${ws}/understanding/retrain`, {
      config: casework,
      schema: { tags, summary: 'Retrain the workspace sentiment/topic model from the base models plus every correction; applied to mentions stored from now on', params: workspaceParams },
    }, async (req) => retrainWorkspaceModel(ctx, workspaceModelsOf(ctx), principalOf(req), req.params.workspaceId));
  };
}
