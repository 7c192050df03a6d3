/**
 * The Source contract: how a connector hands items to the pipeline.
 *
 * A source is built from its validated settings by a factory (see `sources/registry.ts`). The runner calls
 * `read(cursor, signal)` with the cursor it last committed (null the first time) and consumes the batches:
 * for each batch it stores the items, records the rejects as dead letters and writes `batch.cursor` **in the
 * same transaction**. Only after that commit does it ask for the next batch — that is the acknowledgement.
 * If the process stops between two batches, the next run starts from the last committed cursor and the
 * unique (source, externalId) rule absorbs any item that is delivered again, so nothing is lost or doubled.
 *
 * A polling source yields what is new and returns; the runner calls it again after its interval.
 * A streaming source keeps yielding until `signal` aborts; it should yield small batches often.
 * Errors thrown by `read` (network down, 5xx, malformed feed as a whole) fail the run: the runner records
 * the error on the source and retries with backoff. A single bad item is not an error: put it in `rejects`.
 */

import type { PreparedBatch, RemotePreparation } from './prepare.ts';

/** One mention as a connector sees it, already mapped to Earshot's fields but not yet validated. */
export interface SourceItem {
  /** Stable id within the source (guid, tweet id, message id, hash of the row); the dedupe key. */
  externalId: string;
  text: string;
  title?: string | null;
  url?: string | null;
  /** Epoch ms, an ISO/RFC 2822/Twitter date string, or null (= time of ingest). */
  publishedAt?: number | string | null;
  author?: SourceAuthor | null;
  /** Language declared by the channel, if any (ISO 639-1); detection fills it otherwise. */
  lang?: string | null;
  metrics?: { likes?: number | null; shares?: number | null; replies?: number | null; views?: number | null };
  /** External id of the item this one answers (thread parent), if the channel says so. */
  parentExternalId?: string | null;
  /** Channel name shown to users (e.g. "rss", "twitter"); defaults to the source kind. */
  channel?: string;
  /** Extra source-specific fields kept with the mention (small JSON-serialisable values only). */
  extra?: Record<string, unknown>;
}

export interface SourceAuthor {
  handle: string;
  name?: string | null;
  url?: string | null;
  followers?: number | null;
}

/** Something the source received but could not turn into a SourceItem (bad row, bad JSON line...). */
export interface SourceReject {
  externalId?: string | null;
  /** Why it was rejected, in words an operator understands (include line numbers where there are any). */
  error: string;
  /** The raw input, kept so that the item can be fixed and retried: nothing is dropped. */
  payload: unknown;
}

export interface SourceBatch {
  items: SourceItem[];
  rejects?: SourceReject[];
  /** Cursor to persist once this batch is committed; `undefined` keeps the previous cursor. */
  cursor?: string | null;
  /**
   * The batch already prepared by the source as `ReadOptions.prepare` asked (its `items` and `rejects` are then
   * empty: they are in here as drafts and dead letters).
   */
  prepared?: PreparedBatch;
}

export interface ReadOptions {
  /**
   * The runner allows the source to normalise, enrich and draft its batches itself, in its own thread, as the
   * pipeline would (a large file import does, so that the main thread only stores). A source may ignore it.
   */
  prepare?: RemotePreparation | null;
}

export interface Source {
  /** Reads what is new since `cursor`. See the module comment for the acknowledgement contract. */
  read(cursor: string | null, signal: AbortSignal, options?: ReadOptions): AsyncIterable<SourceBatch>;
  /** true for sources that stream until aborted rather than poll and return. */
  readonly streaming?: boolean;
}

/**
 * Thrown by a source when the remote side asked it to slow down (429, 503 with Retry-After, a rate-limit
 * header at zero). The runner waits at least `retryAfterMs` before the next call instead of its usual backoff.
 */
export class SourceRetryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'SourceRetryError';
  }
}
