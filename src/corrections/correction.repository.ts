/**
 * Storage of corrections and workspace models, and the relabelling of a stored mention (its columns, its
 * `extra` JSON and the per-brand counts it is part of), on both dialects.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { parseJson } from '../db/json.ts';
import { NotFoundError } from '../lib/errors.ts';
import { COUNT_BUCKET_MS } from '../mentions/mention-store.repository.ts';
import type { Correction, Database, MentionCorrectionRow } from './correction.tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** What a correction or a workspace model needs of a stored mention. */
export interface MentionLabels {
  id: number;
  workspaceId: number;
  sourceId: number;
  publishedAt: number;
  text: string;
  title: string | null;
  lang: string | null;
  sentiment: string | null;
  sentimentScore: number | null;
  topics: string[];
  intents: string[];
  brandIds: number[];
}

export interface Relabel {
  sentiment: string | null;
  sentimentScore: number | null;
  topics: string[];
  intents: string[];
}

const toCorrection = (r: MentionCorrectionRow): Correction => ({
  id: r.id, workspaceId: r.workspace_id, mentionId: r.mention_id, sentiment: r.sentiment,
  topics: r.topics === null ? null : parseJson<string[]>(r.topics, []),
  previous: { sentiment: r.previous_sentiment, topics: parseJson<string[]>(r.previous_topics, []) },
  userId: r.user_id, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
});

/** @throws NotFoundError when the workspace has no such mention. */
export async function getMentionLabels(db: Db, workspaceId: number, mentionId: number): Promise<MentionLabels> {
  const r = await db.selectFrom('mentions').select(['id', 'workspace_id', 'source_id', 'published_at', 'text', 'title', 'lang', 'sentiment', 'sentiment_score', 'extra'])
    .where('workspace_id', '=', workspaceId).where('id', '=', mentionId).executeTakeFirst();
  if (!r) throw new NotFoundError('mention', mentionId);
  const brands = await db.selectFrom('mention_brands').select('brand_id').where('mention_id', '=', mentionId).orderBy('brand_id').execute();
  const extra = parseJson<{ topics?: string[]; intents?: string[] }>(r.extra, {});
  return {
    id: r.id, workspaceId: r.workspace_id, sourceId: r.source_id, publishedAt: Number(r.published_at), text: r.text, title: r.title,
    lang: r.lang, sentiment: r.sentiment, sentimentScore: r.sentiment_score, topics: extra.topics ?? [], intents: extra.intents ?? [],
    brandIds: brands.map((b) => b.brand_id),
  };
}

/**
 * Writes new labels onto a mention and moves it between the sentiment counts of its brands (the roll-up
 * triggers of 002 follow `mention_counts`). Run it inside a transaction.
 */
export async function relabelMention(trx: Transaction<Database>, m: MentionLabels, next: Relabel): Promise<void> {
  const row = await trx.selectFrom('mentions').select('extra').where('id', '=', m.id).executeTakeFirstOrThrow();
  const extra = { ...parseJson<Record<string, unknown>>(row.extra, {}), topics: next.topics, intents: next.intents };
  await trx.updateTable('mentions')
    .set({ sentiment: next.sentiment, sentiment_score: next.sentimentScore, extra: JSON.stringify(extra) })
    .where('id', '=', m.id).execute();
  if ((m.sentiment ?? '') === (next.sentiment ?? '')) return;
  const bucket = Math.floor(m.publishedAt / COUNT_BUCKET_MS) * COUNT_BUCKET_MS;
  const key = { bucket, lang: m.lang ?? '', source_id: m.sourceId };
  for (const brand_id of m.brandIds) {
    await trx.updateTable('mention_counts').set({ n: sql`n - 1` })
      .where('brand_id', '=', brand_id).where('bucket', '=', bucket).where('sentiment', '=', m.sentiment ?? '')
      .where('lang', '=', key.lang).where('source_id', '=', key.source_id).execute();
    await trx.insertInto('mention_counts').values({ brand_id, ...key, sentiment: next.sentiment ?? '', n: 1 })
      .onConflict((oc) => oc.columns(['brand_id', 'bucket', 'sentiment', 'lang', 'source_id']).doUpdateSet({ n: sql`mention_counts.n + excluded.n` }))
      .execute();
    for (const value of [m.sentiment ?? '', next.sentiment ?? '']) await resumSentimentRollups(trx, brand_id, m.publishedAt, value);
  }
}

const GRAINS = [{ grain: 'h', ms: 3_600_000 }, { grain: 'd', ms: 86_400_000 }] as const;

/**
 * Sets the sentiment roll-ups (hour and day) that hold `at` to the sum of their 5-minute counts. Summing
 * again, rather than adding ±1, is right whether roll-ups follow `mention_counts` by trigger or are written
 * by the store itself.
 */
async function resumSentimentRollups(trx: Transaction<Database>, brandId: number, at: number, value: string): Promise<void> {
  for (const { grain, ms } of GRAINS) {
    const bucket = Math.floor(at / ms) * ms;
    const row = await trx.selectFrom('mention_counts').select((eb) => eb.fn.sum<number | string | null>('n').as('n'))
      .where('brand_id', '=', brandId).where('sentiment', '=', value).where('bucket', '>=', bucket).where('bucket', '<', bucket + ms)
      .executeTakeFirst();
    await trx.insertInto('mention_rollups').values({ brand_id: brandId, grain, bucket, dim: 'sentiment', value, n: Number(row?.n ?? 0) })
      .onConflict((oc) => oc.columns(['brand_id', 'grain', 'dim', 'bucket', 'value']).doUpdateSet((eb) => ({ n: eb.ref('excluded.n') })))
      .execute();
  }
}

export interface CorrectionDraft {
  workspaceId: number;
  mentionId: number;
  text: string;
  lang: string | null;
  sentiment: string | null;
  topics: string[] | null;
  previousSentiment: string | null;
  previousTopics: string[];
  userId: number | null;
}

/** Stores a correction; a mention corrected again keeps its first `previous` labels and its creation time. */
export async function upsertCorrection(db: Db, d: CorrectionDraft, now: number): Promise<Correction> {
  const row = await db.insertInto('mention_corrections')
    .values({
      workspace_id: d.workspaceId, mention_id: d.mentionId, text: d.text, lang: d.lang, sentiment: d.sentiment,
      topics: d.topics === null ? null : JSON.stringify(d.topics), previous_sentiment: d.previousSentiment,
      previous_topics: JSON.stringify(d.previousTopics), user_id: d.userId, created_at: now, updated_at: now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'mention_id']).doUpdateSet((eb) => ({
      text: eb.ref('excluded.text'), lang: eb.ref('excluded.lang'), sentiment: eb.ref('excluded.sentiment'), topics: eb.ref('excluded.topics'),
      user_id: eb.ref('excluded.user_id'), updated_at: eb.ref('excluded.updated_at'),
    })))
    .returningAll().executeTakeFirstOrThrow();
  return toCorrection(row);
}

export async function findCorrectionByMention(db: Db, workspaceId: number, mentionId: number): Promise<Correction | null> {
  const row = await db.selectFrom('mention_corrections').selectAll().where('workspace_id', '=', workspaceId).where('mention_id', '=', mentionId).executeTakeFirst();
  return row ? toCorrection(row) : null;
}

/** The workspace's corrections, newest first. */
export async function listCorrections(db: Db, workspaceId: number, limit = 10_000): Promise<Correction[]> {
  const rows = await db.selectFrom('mention_corrections').selectAll().where('workspace_id', '=', workspaceId)
    .orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toCorrection);
}

/** Every correction as training input (text, language, labels), oldest first. */
export async function listCorrectionExamples(db: Db, workspaceId: number) {
  const rows = await db.selectFrom('mention_corrections').select(['text', 'lang', 'sentiment', 'topics']).where('workspace_id', '=', workspaceId).orderBy('id').execute();
  return rows.map((r) => ({ text: r.text, lang: r.lang, sentiment: r.sentiment, topics: r.topics === null ? null : parseJson<string[]>(r.topics, []) }));
}

export async function countCorrections(db: Db, workspaceId: number, since?: number): Promise<number> {
  let q = db.selectFrom('mention_corrections').select((eb) => eb.fn.countAll<number | string>().as('n')).where('workspace_id', '=', workspaceId);
  if (since !== undefined) q = q.where('updated_at', '>', since);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export interface StoredWorkspaceModel {
  workspaceId: number;
  model: string;
  corrections: number;
  trainedAt: number;
}

export async function getWorkspaceModel(db: Db, workspaceId: number): Promise<StoredWorkspaceModel | null> {
  const r = await db.selectFrom('workspace_models').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  return r ? { workspaceId: r.workspace_id, model: r.model, corrections: r.corrections, trainedAt: Number(r.trained_at) } : null;
}

export async function saveWorkspaceModel(db: Db, m: StoredWorkspaceModel): Promise<void> {
  await db.insertInto('workspace_models')
    .values({ workspace_id: m.workspaceId, model: m.model, corrections: m.corrections, trained_at: m.trainedAt })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet((eb) => ({ model: eb.ref('excluded.model'), corrections: eb.ref('excluded.corrections'), trained_at: eb.ref('excluded.trained_at') })))
    .execute();
}

/** Workspaces that have a model (read at start, so new mentions of every such workspace are adjusted). */
export async function listWorkspacesWithModels(db: Db): Promise<number[]> {
  return (await db.selectFrom('workspace_models').select('workspace_id').orderBy('workspace_id').execute()).map((r) => r.workspace_id);
}
