/**
 * Runs sources: claims the ones that are due (a lease in the database, so several processes can share a
 * PostgreSQL database without running one source twice), reads them batch by batch through the pipeline,
 * and schedules the next run — after the interval on success, with exponential backoff and jitter (or the
 * remote side's Retry-After) on failure. Every failure is recorded on the source with its message.
 */
import os from 'node:os';
import { setImmediate } from 'node:timers/promises';
import crypto from 'node:crypto';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { sleep } from '../lib/clock.ts';
import { errorMessage } from '../lib/errors.ts';
import { addSourceEvent, claimDueSources, claimSource, finishRun, renewLease, type SourceRecord } from '../sources/source.repository.ts';
import { getSourceKind, sourceKinds, validateSettings, type SourceDeps } from '../sources/registry.ts';
import { SourceRetryError, type ReadOptions, type Source } from './source.ts';
import type { BatchResult, Pipeline, PipelineContext, PreparedBatch } from './pipeline.ts';

const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;
const FAR_FUTURE = 8_640_000_000_000;

export interface RunReport {
  ok: boolean;
  error?: string;
  batches: number;
  stored: number;
  known: number;
  filtered: number;
  failed: number;
}

export interface SchedulerDeps {
  db: Db;
  pipeline: Pipeline;
  clock: Clock;
  logger: Logger;
  sourceDeps: SourceDeps;
  tickMs?: number;
  maxConcurrent?: number;
  /** Records a one-shot import writes per transaction, over several batches (IMPORT_TRANSACTION_SIZE). */
  importTransactionSize?: number;
}

/** Delay before retrying after `failures` consecutive failures: base·2^(n-1), capped, ±20 % jitter. */
export function backoffMs(baseMs: number, failures: number, random = Math.random): number {
  const raw = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export class SourceScheduler {
  readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private readonly running = new Map<number, { abort: AbortController; done: Promise<RunReport> }>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.loop ??= this.tickLoop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    for (const r of this.running.values()) r.abort.abort();
    await Promise.allSettled([this.loop, ...[...this.running.values()].map((r) => r.done)]);
  }

  isRunning(sourceId: number): boolean {
    return this.running.has(sourceId);
  }

  private async tickLoop(): Promise<void> {
    const kinds = sourceKinds().filter((k) => k.build).map((k) => k.kind);
    while (!this.stopping.signal.aborted) {
      try {
        const free = (this.deps.maxConcurrent ?? 8) - this.running.size;
        if (free > 0) {
          const now = this.deps.clock.now();
          for (const s of await claimDueSources(this.deps.db.kysely, kinds, this.owner, now, now + LEASE_MS, free)) this.launch(s);
        }
      } catch (err) {
        this.deps.logger.error({ err }, 'source scheduler tick failed');
      }
      await sleep(this.deps.tickMs ?? 1000, this.stopping.signal);
    }
  }

  private launch(source: SourceRecord): void {
    const abort = new AbortController();
    const done = this.run(source, abort.signal).finally(() => this.running.delete(source.id));
    this.running.set(source.id, { abort, done });
  }

  /**
   * Runs one claimed source until its read ends (poll) or `signal` aborts (stream), then schedules it.
   * Used by the loop and directly by `earshot import` (which claims the source itself).
   */
  async run(source: SourceRecord, signal: AbortSignal, onBatch?: (r: RunReport) => void): Promise<RunReport> {
    const { clock, logger, db } = this.deps;
    const report: RunReport = { ok: true, batches: 0, stored: 0, known: 0, filtered: 0, failed: 0 };
    const kind = getSourceKind(source.kind);
    let interval = 0;
    try {
      const settings = validateSettings(kind, source.settings);
      interval = (kind.interval?.(settings, this.deps.sourceDeps) ?? 0) * 1000;
      const reader = kind.build!(settings, this.deps.sourceDeps);
      const ctx = { workspaceId: source.workspaceId, sourceId: source.id, sourceKind: source.kind, fixedBrandId: source.brandId };
      let lastRenew = clock.now();
      const counted = async (results: BatchResult[]) => {
        for (const r of results) {
          Object.assign(report, { batches: report.batches + 1, stored: report.stored + r.stored, known: report.known + r.known, filtered: report.filtered + r.filtered, failed: report.failed + r.failed });
          onBatch?.(report);
        }
        if (clock.now() - lastRenew > LEASE_MS / 3) {
          lastRenew = clock.now();
          await renewLease(db.kysely, source.id, this.owner, lastRenew + LEASE_MS);
        }
      };
      // A one-shot import with a fixed brand writes several batches per transaction (its preparation reads nothing
      // from the database, which the open transaction holds); everything else commits batch by batch. The group
      // ends early when a query waits for the connection (SQLite has one): the API waits for one batch, not a group.
      const perTransaction = kind.oneShot && ctx.fixedBrandId !== null ? this.deps.importTransactionSize ?? 0 : 0;
      // Such an import may also prepare its batches in its reader's thread: this thread then only stores.
      const options = kind.oneShot ? { prepare: this.deps.pipeline.remotePreparation(ctx) } : {};
      const batches = this.prepared(ctx, reader, source.cursor, signal, options);
      try {
        let head = await batches.next();
        while (!head.done) {
          let drafts = head.value.drafts.length;
          const more = async (): Promise<PreparedBatch | null> => {
            if (drafts >= perTransaction || signal.aborted) return null;
            // A turn of the event loop before going on: batches the worker has ready resolve without one, and
            // requests that arrived meanwhile (with their queries) would wait for the whole group.
            await setImmediate();
            if (db.connectionWanted()) return null;
            head = await batches.next();
            if (head.done) return null;
            drafts += head.value.drafts.length;
            return head.value;
          };
          await counted(await this.deps.pipeline.commitGroup(ctx, head.value, more));
          if (!head.done) head = await batches.next();
        }
      } finally {
        // After a failure too: closes the source's reader (a CSV import's parser thread stops).
        await batches.return(undefined);
      }
    } catch (err) {
      if (!signal.aborted) return this.fail(source, err, report, interval);
    }
    const now = clock.now();
    const finished = !!kind.oneShot && !signal.aborted;
    const next = signal.aborted ? now : finished ? FAR_FUTURE : now + (interval || 5_000);
    await finishRun(db.kysely, source.id, this.owner, { ok: true, nextFetchAt: next, finished }, now);
    if (report.stored || report.failed) await addSourceEvent(db.kysely, source.id, 'info', `stored ${report.stored} new mentions, ${report.filtered} matched no brand, ${report.failed} dead-lettered`, now);
    logger.debug({ sourceId: source.id, ...report }, 'source run finished');
    return report;
  }

  /**
   * The source's batches, prepared (normalised, matched, enriched) in order. Polling sources get one batch of
   * look-ahead: the next batch is enriched (in the worker) while the previous one is written; commits stay in
   * order, so the cursor never runs ahead of the data. A streaming source's batch is handed on at once: the next
   * one may be minutes away, and a live mention must not wait for it.
   */
  private async *prepared(ctx: PipelineContext, reader: Source, cursor: string | null, signal: AbortSignal, options: ReadOptions): AsyncGenerator<PreparedBatch> {
    let pending: Promise<PreparedBatch> | null = null;
    for await (const batch of reader.read(cursor, signal, options)) {
      const next = this.deps.pipeline.prepare(ctx, batch);
      next.catch(() => {});
      if (pending) yield await pending;
      pending = next;
      if (reader.streaming) {
        yield await pending;
        pending = null;
      }
      if (signal.aborted) break;
    }
    if (pending) yield await pending;
  }

  private async fail(source: SourceRecord, err: unknown, report: RunReport, intervalMs: number): Promise<RunReport> {
    const now = this.deps.clock.now();
    const message = errorMessage(err);
    const failures = source.consecutiveFailures + 1;
    const delay = err instanceof SourceRetryError ? Math.max(err.retryAfterMs, 1000) : backoffMs(Math.max(intervalMs, 5_000), failures);
    this.deps.logger.warn({ sourceId: source.id, kind: source.kind, failures, retryInMs: delay, error: message }, 'source run failed');
    await finishRun(this.deps.db.kysely, source.id, this.owner, { ok: false, error: message, nextFetchAt: now + delay }, now);
    await addSourceEvent(this.deps.db.kysely, source.id, 'error', `${message} (retry in ${Math.round(delay / 1000)} s)`, now);
    return { ...report, ok: false, error: message };
  }

  /** Claims a specific source now (ignoring its schedule) and runs it; for the CLI and "fetch now". */
  async runNow(sourceId: number, signal: AbortSignal, onBatch?: (r: RunReport) => void): Promise<RunReport> {
    const now = this.deps.clock.now();
    const claimed = await claimSource(this.deps.db.kysely, sourceId, this.owner, now, now + LEASE_MS);
    if (!claimed) throw new Error(`source ${sourceId} is being read by another process right now; try again in a minute`);
    return this.run(claimed, signal, onBatch);
  }
}
