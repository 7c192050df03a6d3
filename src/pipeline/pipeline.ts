/**
 * The ingest pipeline: normalize → match brands → enrich → dedupe → store, one transaction per batch.
 *
 * Every item either becomes a mention, is counted as filtered (it matches no brand), or becomes a dead
 * letter with the reason — nothing is dropped silently. The source's cursor is written in the same
 * transaction as the data (the acknowledgement), and newly stored mentions are published only after commit.
 */
import type { Db } from '../db/connection.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { errorMessage } from '../lib/errors.ts';
import { runEnrichers, type Enricher, type Enrichment } from '../enrich/enricher.ts';
import { acceptsLanguage, type BrandMatcher, type BrandMatcherCache } from '../brands/brand-matcher.ts';
import { insertDeadLetters, insertMentionDrafts, linkBrandsAndCount, type DeadLetterDraft, type MentionDraft, type StoredMention } from '../mentions/mention-store.repository.ts';
import { recordBatch } from '../sources/source.repository.ts';
import { toMention, type Mention } from '../mentions/mention.ts';
import type { MentionBus } from '../mentions/mention-bus.ts';
import { normalizeItem, type NormalizedItem } from './normalize.ts';
import { nearDuplicateKey } from './near-duplicate.ts';
import type { SourceBatch, SourceItem } from './source.ts';

export interface PipelineContext {
  workspaceId: number;
  sourceId: number;
  /** Default channel name for items that do not name one. */
  sourceKind: string;
  /** Every item belongs to this brand (file import, webhook with a brand); null = match brand queries. */
  fixedBrandId: number | null;
}

export interface BatchResult {
  /** Newly stored mentions (near-duplicates included). */
  stored: number;
  /** Of the stored, how many are near-duplicates of an earlier mention. */
  nearDuplicates: number;
  /** Items already stored before (same source + external id): acknowledged, not stored again. */
  known: number;
  /** Items that matched no brand. */
  filtered: number;
  /** Items sent to the dead-letter table (or, with `deadLetters: false`, that failed). */
  failed: number;
  failures: { stage: string; error: string }[];
  mentions: Mention[];
}

export interface ProcessOptions {
  /** false: report failures to the caller instead of writing dead letters (used when retrying one). */
  deadLetters?: boolean;
}

export interface PipelineDeps {
  db: Db;
  enrichers: readonly Enricher[];
  brands: BrandMatcherCache;
  bus: MentionBus;
  clock: Clock;
  logger: Logger;
}

interface Prepared {
  drafts: MentionDraft[];
  deadLetters: DeadLetterDraft[];
  filtered: number;
  duplicatesInBatch: number;
}

export class Pipeline {
  constructor(private readonly deps: PipelineDeps) {}

  /** Processes one batch end to end. Throws only when the store transaction itself fails. */
  async process(ctx: PipelineContext, batch: SourceBatch, options: ProcessOptions = {}): Promise<BatchResult> {
    const now = this.deps.clock.now();
    const matcher = await this.deps.brands.get(ctx.workspaceId);
    const prepared = this.prepare(ctx, batch, matcher, now);
    const stored = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const rows = await insertMentionDrafts(trx, ctx.workspaceId, prepared.drafts, now);
      await linkBrandsAndCount(trx, rows);
      if (options.deadLetters !== false) await insertDeadLetters(trx, ctx.workspaceId, prepared.deadLetters, now);
      const counts = { stored: rows.length, filtered: prepared.filtered, failed: prepared.deadLetters.length };
      await recordBatch(trx, ctx.sourceId, { ...counts, ...(batch.cursor !== undefined ? { cursor: batch.cursor } : {}) }, now);
      return rows;
    });
    const mentions = stored.map(storedToMention);
    this.deps.bus.publish(ctx.workspaceId, mentions);
    return {
      stored: stored.length,
      nearDuplicates: stored.filter((s) => s.duplicateOf !== null).length,
      known: prepared.drafts.length - stored.length + prepared.duplicatesInBatch,
      filtered: prepared.filtered,
      failed: prepared.deadLetters.length,
      failures: prepared.deadLetters.map((d) => ({ stage: d.stage, error: d.error })),
      mentions,
    };
  }

  private prepare(ctx: PipelineContext, batch: SourceBatch, matcher: BrandMatcher, now: number): Prepared {
    const out: Prepared = { drafts: [], deadLetters: [], filtered: 0, duplicatesInBatch: 0 };
    for (const r of batch.rejects ?? []) out.deadLetters.push({ sourceId: ctx.sourceId, externalId: r.externalId ?? null, stage: 'source', error: r.error, payload: r.payload });
    const seen = new Set<string>();
    for (const item of batch.items) {
      const draft = this.prepareItem(ctx, item, matcher, now, out);
      if (!draft) continue;
      if (seen.has(draft.row.external_id)) {
        out.duplicatesInBatch++;
        continue;
      }
      seen.add(draft.row.external_id);
      out.drafts.push(draft);
    }
    return out;
  }

  private prepareItem(ctx: PipelineContext, item: SourceItem, matcher: BrandMatcher, now: number, out: Prepared): MentionDraft | null {
    const fail = (stage: string, err: unknown) => {
      out.deadLetters.push({ sourceId: ctx.sourceId, externalId: typeof item?.externalId === 'string' ? item.externalId : null, stage, error: errorMessage(err), payload: item });
      return null;
    };
    let n: NormalizedItem;
    try {
      n = normalizeItem(item, ctx.sourceKind, now);
    } catch (err) {
      return fail('normalize', err);
    }
    const candidates = ctx.fixedBrandId !== null ? null : matcher.match(n.text, n.title);
    if (candidates && candidates.length === 0) {
      out.filtered++;
      return null;
    }
    let e: Enrichment;
    try {
      e = runEnrichers(this.deps.enrichers, { text: n.text, title: n.title, lang: n.lang });
    } catch (err) {
      return fail('enrich', err);
    }
    const brandIds = candidates ? candidates.filter((c) => acceptsLanguage(c.brand, e.lang)).map((c) => c.brand.id) : [ctx.fixedBrandId as number];
    if (brandIds.length === 0) {
      out.filtered++;
      return null;
    }
    return toDraft(ctx, n, e, brandIds, now);
  }
}

function toDraft(ctx: PipelineContext, n: NormalizedItem, e: Enrichment, brandIds: number[], now: number): MentionDraft {
  const extra = { ...n.extra, ...(e.topics.length ? { topics: e.topics } : {}), ...(e.intents.length ? { intents: e.intents } : {}), ...(e.relevance !== null ? { relevance: e.relevance } : {}) };
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
      near_hash: nearDuplicateKey(n.text),
      extra: Object.keys(extra).length ? JSON.stringify(extra) : null,
    },
    author: n.author ? { channel: n.channel, ...n.author } : null,
    brandIds,
  };
}

function storedToMention(s: StoredMention): Mention {
  const a = s.draft.author;
  const author = a && s.authorId !== null ? { id: s.authorId, handle: a.handle, name: a.name, url: a.url, followers: a.followers } : null;
  return toMention({ ...s.draft.row, id: s.id, author_id: s.authorId, duplicate_of: s.duplicateOf, duplicate_count: 0 }, author, s.draft.brandIds);
}
