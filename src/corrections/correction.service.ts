/**
 * Agents correct a mention's sentiment or topics; a workspace retrains its model from the base models plus
 * all its corrections (src/enrich/adapt/). Corrections take effect on the corrected mention at once; the
 * retrained model on the workspace's new mentions (workspace-models.runtime.ts).
 */
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ensure, type Principal } from '../accounts/permissions.ts';
import { SENTIMENTS, type SentimentLabel } from '../enrich/data/datasets.ts';
import { trainWorkspaceModel } from '../enrich/adapt/workspace-model.ts';
import { TOPICS } from '../enrich/topics/taxonomy.ts';
import { parseJson } from '../db/json.ts';
import { ValidationError } from '../lib/errors.ts';
import { getWorkspaceById } from '../workspaces/workspace.repository.ts';
import {
  countCorrections, getMentionLabels, getWorkspaceModel, listCorrectionExamples, relabelMention, saveWorkspaceModel, upsertCorrection,
} from './correction.repository.ts';
import type { Correction, Database, WorkspaceModelStatus } from './correction.tables.ts';
import type { WorkspaceModelRuntime } from './workspace-models.runtime.ts';
import type { Kysely } from 'kysely';

/** Correcting labels and retraining from them is case work: agents and admins. */
export const canCorrectMention = (p: Principal): boolean => p.role === 'agent' || p.role === 'admin';

export const correctionInput = z.object({
  sentiment: z.enum(SENTIMENTS as [SentimentLabel, ...SentimentLabel[]]).optional(),
  topics: z.array(z.enum(TOPICS)).max(TOPICS.length).optional(),
});
export type CorrectionInput = z.infer<typeof correctionInput>;

const dbOf = (ctx: AppContext): Kysely<Database> => ctx.db.kysely as unknown as Kysely<Database>;

/**
 * Stores the correction and applies it to the mention (its labels and the sentiment counts).
 * @throws ValidationError when neither sentiment nor topics is given; NotFoundError for an unknown mention.
 */
export async function correctMention(ctx: AppContext, p: Principal, workspaceId: number, mentionId: number, input: CorrectionInput): Promise<Correction> {
  ensure(canCorrectMention(p), 'correct mentions (agents and admins)');
  if (!input.sentiment && !input.topics) throw new ValidationError('Give a sentiment, topics or both', { sentiment: 'or topics required' });
  const topics = input.topics ? [...new Set(input.topics)] : null;
  return dbOf(ctx).transaction().execute(async (trx) => {
    const m = await getMentionLabels(trx, workspaceId, mentionId);
    const correction = await upsertCorrection(trx, {
      workspaceId, mentionId, text: m.title ? `${m.title}. ${m.text}` : m.text, lang: m.lang,
      sentiment: input.sentiment ?? null, topics, previousSentiment: m.sentiment, previousTopics: m.topics, userId: p.userId,
    }, ctx.clock.now());
    await relabelMention(trx, m, {
      sentiment: input.sentiment ?? m.sentiment, sentimentScore: input.sentiment ? 1 : m.sentimentScore,
      topics: topics ?? m.topics, intents: m.intents,
    });
    return correction;
  });
}

export async function getModelStatus(ctx: AppContext, workspaceId: number): Promise<WorkspaceModelStatus> {
  await getWorkspaceById(ctx.db.kysely, workspaceId);
  const db = dbOf(ctx);
  const stored = await getWorkspaceModel(db, workspaceId);
  const model = stored ? parseJson<{ examples?: WorkspaceModelStatus['examples'] } | null>(stored.model, null) : null;
  return {
    workspaceId, trainedAt: stored?.trainedAt ?? null, trainedOn: stored?.corrections ?? 0,
    corrections: await countCorrections(db, workspaceId),
    pending: await countCorrections(db, workspaceId, stored?.trainedAt),
    examples: model?.examples ?? null,
  };
}

/**
 * Retrains the workspace's model from the base models and every correction, stores it, and applies it to the
 * workspace's mentions stored from now on. Deterministic: the same corrections give the same model.
 * @throws ValidationError when the workspace has no correction yet.
 */
export async function retrainWorkspaceModel(ctx: AppContext, runtime: WorkspaceModelRuntime, p: Principal, workspaceId: number): Promise<WorkspaceModelStatus> {
  ensure(canCorrectMention(p), 'retrain the workspace model (agents and admins)');
  await getWorkspaceById(ctx.db.kysely, workspaceId);
  const db = dbOf(ctx);
  const examples = await listCorrectionExamples(db, workspaceId);
  if (!examples.length) throw new ValidationError('This workspace has no corrections to learn from yet', { corrections: 'none' });
  // Imported on first use, like the enrichment chain (workspace-models.runtime.ts).
  const { baseScores } = await import('../enrich/adapt/workspace-enrichers.ts');
  const model = trainWorkspaceModel(
    examples.map((e) => ({ ...e, sentiment: (SENTIMENTS as readonly string[]).includes(e.sentiment ?? '') ? (e.sentiment as SentimentLabel) : null })),
    baseScores(runtime.baseBundle()),
  );
  await saveWorkspaceModel(db, { workspaceId, model: JSON.stringify(model), corrections: examples.length, trainedAt: ctx.clock.now() });
  runtime.modelChanged(workspaceId);
  return getModelStatus(ctx, workspaceId);
}
