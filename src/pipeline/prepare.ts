/**
 * Preparing a batch for the store — normalize, match brands, enrich, drafts — as plain functions of their inputs,
 * so that the same steps run in the pipeline (enrichment in its worker thread) and, for a large file import, all
 * together in the thread that reads the file (`sources/file/import.worker.ts`): the main thread then only stores.
 */
import { errorMessage } from '../lib/errors.ts';
import type { Enrichment, EnrichInput } from '../enrich/enricher.ts';
import type { EnrichOutcome } from '../enrich/enrich-runner.ts';
import type { EnrichProfile } from '../enrich/default-enrichers.ts';
import { acceptsLanguage, type BrandMatcher, type CompiledBrand } from '../brands/brand-matcher.ts';
import type { DeadLetterDraft, MentionDraft } from '../mentions/mention-store.repository.ts';
import { normalizeItem, type NormalizedItem } from './normalize.ts';
import type { SourceBatch, SourceItem } from './source.ts';

export interface PipelineContext {
  workspaceId: number;
  sourceId: number;
  /** Default channel name for items that do not name one. */
  sourceKind: string;
  /** Every item belongs to this brand (file import, webhook with a brand); null = match brand queries. */
  fixedBrandId: number | null;
}

/** A batch after normalize, match and enrich: ready to commit. */
export interface PreparedBatch {
  drafts: MentionDraft[];
  deadLetters: DeadLetterDraft[];
  filtered: number;
  duplicatesInBatch: number;
  cursor: string | null | undefined;
}

/**
 * What a source needs to prepare its batches itself, in its own thread (`Pipeline.remotePreparation`): only a
 * fixed-brand source (no brand queries to read from the database) enriched by the default models of `profile`.
 */
export interface RemotePreparation {
  ctx: PipelineContext & { fixedBrandId: number };
  profile: EnrichProfile;
  /** Add to Date.now() to get the pipeline clock's time (they differ under a test clock). */
  clockOffsetMs: number;
}

/** An item that passed normalisation and brand matching, waiting for its enrichment. */
export interface Candidate {
  item: SourceItem;
  normalized: NormalizedItem;
  brands: CompiledBrand[] | null;
}

/** First half: the batch's rejects become dead letters, items are normalised and matched. */
export function screenBatch(ctx: PipelineContext, batch: SourceBatch, matcher: BrandMatcher | null, now: number): { out: PreparedBatch; candidates: Candidate[] } {
  const out: PreparedBatch = { drafts: [], deadLetters: [], filtered: 0, duplicatesInBatch: 0, cursor: batch.cursor };
  for (const r of batch.rejects ?? []) out.deadLetters.push({ sourceId: ctx.sourceId, externalId: r.externalId ?? null, stage: 'source', error: r.error, payload: r.payload });
  const candidates: Candidate[] = [];
  for (const item of batch.items) {
    let normalized: NormalizedItem;
    try {
      normalized = normalizeItem(item, ctx.sourceKind, now);
    } catch (err) {
      out.deadLetters.push(deadLetter(ctx, item, 'normalize', errorMessage(err)));
      continue;
    }
    const brands = matcher ? matcher.match(normalized.text, normalized.title) : null;
    if (brands && brands.length === 0) out.filtered++;
    else candidates.push({ item, normalized, brands });
  }
  return { out, candidates };
}

/** What the enrichers read of each candidate. */
export function enrichInputs(candidates: readonly Candidate[]): EnrichInput[] {
  return candidates.map((c) => ({ text: c.normalized.text, title: c.normalized.title, lang: c.normalized.lang }));
}

/** Second half: each enriched candidate becomes a draft (or a dead letter, or is filtered by language). */
export function finishBatch(ctx: PipelineContext, candidates: readonly Candidate[], enriched: readonly EnrichOutcome[], now: number, out: PreparedBatch): PreparedBatch {
  const seen = new Set<string>();
  candidates.forEach((c, i) => {
    const e = enriched[i]!;
    if (!e.ok) return void out.deadLetters.push(deadLetter(ctx, c.item, 'enrich', e.error));
    const brandIds = c.brands ? c.brands.filter((b) => acceptsLanguage(b.brand, e.value.lang)).map((b) => b.brand.id) : [ctx.fixedBrandId as number];
    if (brandIds.length === 0) return void out.filtered++;
    if (seen.has(c.normalized.externalId)) return void out.duplicatesInBatch++;
    seen.add(c.normalized.externalId);
    out.drafts.push(toDraft(ctx, c.normalized, e.value, e.nearKey, brandIds, now));
  });
  return out;
}

function deadLetter(ctx: PipelineContext, item: SourceItem, stage: string, error: string): DeadLetterDraft {
  return { sourceId: ctx.sourceId, externalId: typeof item?.externalId === 'string' ? item.externalId : null, stage, error, payload: item };
}

function toDraft(ctx: PipelineContext, n: NormalizedItem, e: Enrichment, nearKey: string | null, brandIds: number[], now: number): MentionDraft {
  // n.extra is the normaliser's own copy: the enrichment's fields are added to it in place.
  const extra = n.extra;
  if (e.topics.length) extra.topics = e.topics;
  if (e.intents.length) extra.intents = e.intents;
  if (e.relevance !== null) extra.relevance = e.relevance;
  return {
    row: {
      workspace_id: ctx.workspaceId,
      source_id: ctx.sourceId,
      external_id: n.externalId,
      channel: n.channel,
      url: n.url,
      title: n.title,
      text: n.text,
      published_at: n.publishedAt,
      ingested_at: now,
      lang: e.lang,
      lang_confidence: e.langConfidence,
      sentiment: e.sentiment?.label ?? null,
      sentiment_score: e.sentiment?.score ?? null,
      likes: n.metrics.likes,
      shares: n.metrics.shares,
      replies: n.metrics.replies,
      views: n.metrics.views,
      parent_external_id: n.parentExternalId,
      near_hash: nearKey,
      extra: Object.keys(extra).length ? JSON.stringify(extra) : null,
    },
    author: n.author ? { channel: n.channel, ...n.author } : null,
    brandIds,
    topics: e.topics,
  };
}
