/**
 * The ingest pipeline: normalize → match brands → enrich → dedupe → store, one transaction per batch.
 *
 * Every item either becomes a mention, is counted as filtered (it matches no brand), or becomes a dead
 * letter with the reason — nothing is dropped silently. The source's cursor is written in the same
 * transaction as the data (the acknowledgement), and newly stored mentions are published only after commit.
 */
import os from 'node:os';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { EnrichmentRunner } from '../enrich/enrich-runner.ts';
import type { BrandMatcherCache } from '../brands/brand-matcher.ts';
import { CountTally, insertDeadLetters, storedToMention, storeMentionDrafts, writeOpsFor, type StoredMention } from '../mentions/mention-store.repository.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuthorCache } from '../mentions/author-cache.ts';
import { recordBatch } from '../sources/source.repository.ts';
import type { Mention } from '../mentions/mention.ts';
import type { MentionBus } from '../mentions/mention-bus.ts';
import { enrichInputs, finishBatch, screenBatch, type PipelineContext, type PreparedBatch, type RemotePreparation } from './prepare.ts';
import type { SourceBatch } from './source.ts';

export type { PipelineContext, PreparedBatch } from './prepare.ts';

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

/**
 * Work that must happen in the same transaction as the stored mentions but once per transaction rather than once
 * per batch (the radar's stream counts: a bulk import's batches each touch most buckets of the period it covers).
 * The hook is called as the transaction opens; the group it returns sees each batch's stored mentions (`batch`) and
 * writes at the end (`end`), still inside the transaction, after the last batch. What `end` returns runs after the commit.
 */
export type StoreGroupHook = (trx: Transaction<Database>, workspaceId: number) => StoreGroup;
export interface StoreGroup {
  batch(stored: readonly StoredMention[], now: number): void;
  end(): Promise<(() => void) | void>;
}

export class Pipeline {
  private readonly authors = new AuthorCache();
  private readonly hooks = new Set<StoreHook>();
  private readonly groupHooks = new Set<StoreGroupHook>();

  constructor(private readonly deps: PipelineDeps) {}

  /** Adds work to every batch's transaction. @returns a function that removes it. */
  onStore(hook: StoreHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  /** Adds work to every transaction, once however many batches it writes. @returns a function that removes it. */
  onStoreGroup(hook: StoreGroupHook): () => void {
    this.groupHooks.add(hook);
    return () => this.groupHooks.delete(hook);
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
    // Prepared by the source itself (see remotePreparation).
    if (batch.prepared) return batch.prepared;
    const now = this.deps.clock.now();
    // A fixed-brand source needs no matcher (and so no database read: see commitGroup).
    const matcher = ctx.fixedBrandId === null ? await this.deps.brands.get(ctx.workspaceId) : null;
    const { out, candidates } = screenBatch(ctx, batch, matcher, now);
    return finishBatch(ctx, candidates, await this.deps.enrich.enrichMany(enrichInputs(candidates)), now, out);
  }

  /**
   * For a source that can prepare its own batches in its thread (a large file import): what it needs to do it as
   * `prepare` would, or null where that is not possible — brand queries to match (they are read from the
   * database), custom enrichers (tests), or a single core (the other thread would only take turns with this one).
   */
  remotePreparation(ctx: PipelineContext): RemotePreparation | null {
    const profile = this.deps.enrich.profile;
    if (ctx.fixedBrandId === null || !profile || os.availableParallelism() < 2) return null;
    return { ctx: { ...ctx, fixedBrandId: ctx.fixedBrandId }, profile, clockOffsetMs: this.deps.clock.now() - Date.now() };
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
        const tally = new CountTally();
        const groups = [...this.groupHooks].map((hook) => hook(trx, ctx.workspaceId));
        for (let prepared: PreparedBatch | null = first; prepared; prepared = await next()) {
          const now = this.deps.clock.now();
          if (options.deadLetters !== false) await insertDeadLetters(trx, ctx.workspaceId, prepared.deadLetters, now);
          const rows = await storeMentionDrafts(ops, authors, ctx.workspaceId, prepared.drafts, now, tally);
          for (const group of groups) group.batch(rows, now);
          for (const hook of this.hooks) {
            const after = await hook(trx, ctx.workspaceId, rows, now);
            if (after) afterCommit.push(after);
          }
          const counts = { stored: rows.length, filtered: prepared.filtered, failed: prepared.deadLetters.length };
          await recordBatch(trx, ctx.sourceId, { ...counts, ...(prepared.cursor !== undefined ? { cursor: prepared.cursor } : {}) }, now);
          // Last: the full-text index comes after the batch's other writes (mention-store-sqlite.repository.ts).
          await ops.indexText(rows);
          written.push({ result: batchResult(prepared, rows), stored: publish() ? rows : [] });
        }
        // The group's counts and roll-ups, once (after the last batch's index rows: one flush of them, as between batches).
        for (const group of groups) {
          const after = await group.end();
          if (after) afterCommit.push(after);
        }
        await tally.write(ops);
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
