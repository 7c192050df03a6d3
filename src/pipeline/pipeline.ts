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
import type { Enrichment } from '../enrich/enricher.ts';
import type { EnrichmentRunner } from '../enrich/enrich-runner.ts';
import { acceptsLanguage, type BrandMatcher, type BrandMatcherCache, type CompiledBrand } from '../brands/brand-matcher.ts';
import { insertDeadLetters, storeMentionDrafts, writeOpsFor, type DeadLetterDraft, type MentionDraft, type StoredMention } from '../mentions/mention-store.repository.ts';
import { AuthorCache } from '../mentions/author-cache.ts';
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
  /** The stored mentions, when anyone listens on the bus or `wantMentions` was set. */
  mentions: Mention[];
}

export interface ProcessOptions {
  /** false: report failures to the caller instead of writing dead letters (used when retrying one). */
  deadLetters?: boolean;
  /** Return the stored mentions even when nobody listens on the bus. */
  wantMentions?: boolean;
}

export interface PipelineDeps {
  db: Db;
  enrich: EnrichmentRunner;
  brands: BrandMatcherCache;
  bus: MentionBus;
  clock: Clock;
  logger: Logger;
}

/** A batch after normalize, match and enrich: ready to commit. */
export interface PreparedBatch {
  drafts: MentionDraft[];
  deadLetters: DeadLetterDraft[];
  filtered: number;
  duplicatesInBatch: number;
  cursor: string | null | undefined;
}

interface Candidate {
  item: SourceItem;
  normalized: NormalizedItem;
  brands: CompiledBrand[] | null;
}

export class Pipeline {
  private readonly authors = new AuthorCache();

  constructor(private readonly deps: PipelineDeps) {}

  /** Processes one batch end to end. Throws only when the store transaction itself fails. */
  async process(ctx: PipelineContext, batch: SourceBatch, options: ProcessOptions = {}): Promise<BatchResult> {
    return this.commit(ctx, await this.prepare(ctx, batch), options);
  }

  /**
   * Normalize, match and enrich — no writes. Separate from `commit` so a runner can prepare the next batch
   * (enrichment runs in a worker thread) while the previous one is being written.
   */
  async prepare(ctx: PipelineContext, batch: SourceBatch): Promise<PreparedBatch> {
    const now = this.deps.clock.now();
    const matcher = await this.deps.brands.get(ctx.workspaceId);
    const out: PreparedBatch = { drafts: [], deadLetters: [], filtered: 0, duplicatesInBatch: 0, cursor: batch.cursor };
    for (const r of batch.rejects ?? []) out.deadLetters.push({ sourceId: ctx.sourceId, externalId: r.externalId ?? null, stage: 'source', error: r.error, payload: r.payload });
    const candidates = this.match(ctx, batch.items, matcher, now, out);
    const enriched = await this.deps.enrich.enrichMany(candidates.map((c) => ({ text: c.normalized.text, title: c.normalized.title, lang: c.normalized.lang })));
    const seen = new Set<string>();
    candidates.forEach((c, i) => {
      const e = enriched[i]!;
      if (!e.ok) return void out.deadLetters.push(deadLetter(ctx, c.item, 'enrich', e.error));
      const brandIds = c.brands ? c.brands.filter((b) => acceptsLanguage(b.brand, e.value.lang)).map((b) => b.brand.id) : [ctx.fixedBrandId as number];
      if (brandIds.length === 0) return void out.filtered++;
      if (seen.has(c.normalized.externalId)) return void out.duplicatesInBatch++;
      seen.add(c.normalized.externalId);
      out.drafts.push(toDraft(ctx, c.normalized, e.value, brandIds, now));
    });
    return out;
  }

  private match(ctx: PipelineContext, items: SourceItem[], matcher: BrandMatcher, now: number, out: PreparedBatch): Candidate[] {
    const candidates: Candidate[] = [];
    for (const item of items) {
      let normalized: NormalizedItem;
      try {
        normalized = normalizeItem(item, ctx.sourceKind, now);
      } catch (err) {
        out.deadLetters.push(deadLetter(ctx, item, 'normalize', errorMessage(err)));
        continue;
      }
      const brands = ctx.fixedBrandId !== null ? null : matcher.match(normalized.text, normalized.title);
      if (brands && brands.length === 0) out.filtered++;
      else candidates.push({ item, normalized, brands });
    }
    return candidates;
  }

  /** One transaction: mentions, brand links, counts, dead letters and the cursor; then publish. */
  async commit(ctx: PipelineContext, prepared: PreparedBatch, options: ProcessOptions = {}): Promise<BatchResult> {
    const now = this.deps.clock.now();
    const authors = this.authors.begin();
    let stored: StoredMention[];
    try {
      stored = await this.deps.db.kysely.transaction().execute(async (trx) => {
        if (options.deadLetters !== false) await insertDeadLetters(trx, ctx.workspaceId, prepared.deadLetters, now);
        // The mentions come last (their full-text index must be the transaction's last write); the source's
        // counters take the number actually stored, so they are read before and written after.
        const rows = await storeMentionDrafts(writeOpsFor(this.deps.db, trx), authors, ctx.workspaceId, prepared.drafts, now);
        const counts = { stored: rows.length, filtered: prepared.filtered, failed: prepared.deadLetters.length };
        await recordBatch(trx, ctx.sourceId, { ...counts, ...(prepared.cursor !== undefined ? { cursor: prepared.cursor } : {}) }, now);
        return rows;
      });
    } catch (err) {
      // A cached author may be what failed (deleted meanwhile): forget them all, the next batch writes them again.
      this.authors.clear();
      throw err;
    }
    authors.commit();
    const mentions = this.deps.bus.hasListeners(ctx.workspaceId) || options.wantMentions ? stored.map(storedToMention) : [];
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
}

function deadLetter(ctx: PipelineContext, item: SourceItem, stage: string, error: string): DeadLetterDraft {
  return { sourceId: ctx.sourceId, externalId: typeof item?.externalId === 'string' ? item.externalId : null, stage, error, payload: item };
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
