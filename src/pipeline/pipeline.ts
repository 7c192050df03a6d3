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
import { insertDeadLetters, storedToMention, storeMentionDrafts, writeOpsFor, type DeadLetterDraft, type MentionDraft, type StoredMention } from '../mentions/mention-store.repository.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuthorCache } from '../mentions/author-cache.ts';
import { recordBatch } from '../sources/source.repository.ts';
import type { Mention } from '../mentions/mention.ts';
import type { MentionBus } from '../mentions/mention-bus.ts';
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

/**
 * Work that must happen in the same transaction as the stored mentions (the radar's stream counts): called with
 * the batch's transaction after the mentions are written. What it returns runs after the commit.
 */
export type StoreHook = (trx: Transaction<Database>, workspaceId: number, stored: readonly StoredMention[], now: number) => Promise<(() => void) | void>;

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
  private readonly hooks = new Set<StoreHook>();

  constructor(private readonly deps: PipelineDeps) {}

  /** Adds work to every batch's transaction. @returns a function that removes it. */
  onStore(hook: StoreHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

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
    // A fixed-brand source needs no matcher (and so no database read: see commitGroup).
    const matcher = ctx.fixedBrandId === null ? await this.deps.brands.get(ctx.workspaceId) : null;
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
      out.drafts.push(toDraft(ctx, c.normalized, e.value, e.nearKey, brandIds, now));
    });
    return out;
  }

  private match(ctx: PipelineContext, items: SourceItem[], matcher: BrandMatcher | null, now: number, out: PreparedBatch): Candidate[] {
    const candidates: Candidate[] = [];
    for (const item of items) {
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
    return candidates;
  }

  /** One transaction: mentions, brand links, counts, dead letters and the cursor; then publish. */
  async commit(ctx: PipelineContext, prepared: PreparedBatch, options: ProcessOptions = {}): Promise<BatchResult> {
    return (await this.commitGroup(ctx, prepared, async () => null, options))[0]!;
  }

  /**
   * Writes `first` and then each batch `next()` gives, until it gives null, in one transaction; publishes them
   * after the commit. A bulk import writes several batches per transaction: with random-order index keys each
   * commit rewrites about every index page the transaction touched, so fewer, larger commits cost less per
   * mention (docs/decisions/0006-ingest-write-path.md). While the transaction is open the database connection
   * is held, so `next()` must not wait on anything that needs it. If any batch fails, none of them is stored.
   */
  async commitGroup(
    ctx: PipelineContext, first: PreparedBatch, next: () => Promise<PreparedBatch | null>, options: ProcessOptions = {},
  ): Promise<BatchResult[]> {
    const authors = this.authors.begin();
    // Only what is published after the commit is kept from each batch (a group can be large): its stored rows
    // when someone listens on the live stream at the time the batch is written.
    const publish = () => this.deps.bus.hasListeners(ctx.workspaceId) || !!options.wantMentions;
    const written: { result: BatchResult; stored: StoredMention[] }[] = [];
    const afterCommit: (() => void)[] = [];
    try {
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const ops = writeOpsFor(this.deps.db, trx);
        for (let prepared: PreparedBatch | null = first; prepared; prepared = await next()) {
          const now = this.deps.clock.now();
          if (options.deadLetters !== false) await insertDeadLetters(trx, ctx.workspaceId, prepared.deadLetters, now);
          const rows = await storeMentionDrafts(ops, authors, ctx.workspaceId, prepared.drafts, now);
          for (const hook of this.hooks) {
            const after = await hook(trx, ctx.workspaceId, rows, now);
            if (after) afterCommit.push(after);
          }
          const counts = { stored: rows.length, filtered: prepared.filtered, failed: prepared.deadLetters.length };
          await recordBatch(trx, ctx.sourceId, { ...counts, ...(prepared.cursor !== undefined ? { cursor: prepared.cursor } : {}) }, now);
          // Last: the full-text index must be the batch's final write (mention-store-sqlite.repository.ts).
          await ops.indexText(rows.map((r) => ({ id: r.id, title: r.draft.row.title, text: r.draft.row.text })));
          written.push({ result: batchResult(prepared, rows), stored: publish() ? rows : [] });
        }
      });
    } catch (err) {
      // A cached author may be what failed (deleted meanwhile): forget them all, the next batch writes them again.
      this.authors.clear();
      throw err;
    }
    authors.commit();
    for (const after of afterCommit) after();
    return written.map(({ result, stored }) => {
      result.mentions = stored.map(storedToMention);
      this.deps.bus.publish(ctx.workspaceId, result.mentions);
      return result;
    });
  }
}

/** What a batch did (its `mentions` are filled in after the commit). */
function batchResult(prepared: PreparedBatch, stored: StoredMention[]): BatchResult {
  return {
    stored: stored.length,
    nearDuplicates: stored.filter((s) => s.duplicateOf !== null).length,
    known: prepared.drafts.length - stored.length + prepared.duplicatesInBatch,
    filtered: prepared.filtered,
    failed: prepared.deadLetters.length,
    failures: prepared.deadLetters.map((d) => ({ stage: d.stage, error: d.error })),
    mentions: [],
  };
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
