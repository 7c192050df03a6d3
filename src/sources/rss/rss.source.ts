/**
 * RSS 2.0 / RSS 1.0 (RDF) / Atom / JSON Feed as a polling Source.
 *
 * Each `read` fetches the feed once (through the SSRF-guarded fetch), conditionally: the cursor holds the
 * last ETag and Last-Modified, so an unchanged feed costs a 304 and yields nothing. A changed feed yields
 * every entry it contains in one batch; entries seen before are absorbed by the pipeline's unique
 * (source, externalId) rule, which is why no "last seen id" is kept (feeds reorder and edit entries).
 */
import { z } from 'zod';
import { redactUrl } from '../../lib/safe-fetch.ts';
import type { SafeFetch, SafeResponse } from '../../lib/safe-fetch.ts';
import { SourceRetryError } from '../../pipeline/source.ts';
import type { Source, SourceBatch } from '../../pipeline/source.ts';
import { decodeFeedBytes } from './feed-decode.ts';
import { toSourceItems } from './feed-items.ts';
import { parseFeed } from './feed-parse.ts';

export const rssSettings = z.object({
  url: z.string().url(),
  /** Poll interval; the runner's default (POLL_INTERVAL_SECONDS) applies when absent. */
  intervalSeconds: z.number().int().min(60).optional(),
});
export type RssSettings = z.infer<typeof rssSettings>;

/** What the cursor string holds (JSON): the validators of the last 200 response. */
export interface RssCursor {
  etag?: string;
  lastModified?: string;
}

export interface RssSource extends Source {
  /** The configured poll interval, for the runner; undefined means its default. */
  readonly intervalSeconds?: number;
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';
/** A 429 without Retry-After still means "slow down"; wait this long rather than the usual backoff. */
const DEFAULT_429_MS = 60_000;
/** Ignore absurd Retry-After values (a broken server must not park a feed for a year). */
const MAX_RETRY_MS = 24 * 60 * 60 * 1000;

/**
 * Build the source. `read(cursor)` yields at most one batch: none when the feed is unchanged (304).
 * @throws (from read) SourceRetryError on 429, or 503 with Retry-After; Error naming the status for other
 *   non-2xx; Error "the feed at <url> is not valid RSS/Atom XML: <reason>" for a malformed feed; the
 *   fetch's AppError (`fetch_refused` / `fetch_failed`) when the URL is not allowed or not reachable.
 */
export function createRssSource(settings: RssSettings, deps: { fetch: SafeFetch; now?: () => number }): RssSource {
  const where = redactUrl(settings.url);
  const now = deps.now ?? Date.now;
  return {
    intervalSeconds: settings.intervalSeconds,
    async *read(cursor, signal): AsyncGenerator<SourceBatch> {
      const res = await deps.fetch(settings.url, { headers: requestHeaders(parseCursor(cursor)), signal });
      if (res.status === 304) return;
      checkStatus(res, where, now());
      const contentType = res.headers.get('content-type');
      const feed = await parseFeed(decodeFeedBytes(res.body, contentType), contentType, where);
      const { items, rejects } = toSourceItems(feed);
      yield { items, rejects, cursor: nextCursor(res) };
    },
  };
}

/** An unreadable cursor only costs one unconditional fetch, so it is ignored rather than fatal. */
export function parseCursor(cursor: string | null): RssCursor {
  if (!cursor) return {};
  try {
    const c = JSON.parse(cursor) as unknown;
    if (typeof c !== 'object' || c === null) return {};
    const { etag, lastModified } = c as Record<string, unknown>;
    return {
      ...(typeof etag === 'string' ? { etag } : {}),
      ...(typeof lastModified === 'string' ? { lastModified } : {}),
    };
  } catch {
    return {};
  }
}

function requestHeaders(cursor: RssCursor): Record<string, string> {
  const headers: Record<string, string> = { accept: ACCEPT };
  if (cursor.etag) headers['if-none-match'] = cursor.etag;
  if (cursor.lastModified) headers['if-modified-since'] = cursor.lastModified;
  return headers;
}

function nextCursor(res: SafeResponse): string | null {
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (!etag && !lastModified) return null;
  return JSON.stringify({ ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } satisfies RssCursor);
}

function checkStatus(res: SafeResponse, where: string, now: number): void {
  if (res.status >= 200 && res.status < 300) return;
  if (res.status === 429 || res.status === 503) {
    const wait = retryAfterMs(res.headers.get('retry-after'), now) ?? (res.status === 429 ? DEFAULT_429_MS : null);
    if (wait !== null) {
      throw new SourceRetryError(`the feed at ${where} answered HTTP ${res.status}; retrying after ${Math.ceil(wait / 1000)} s`, wait);
    }
  }
  throw new Error(`the feed at ${where} answered HTTP ${res.status}`);
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (Number.isNaN(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_MS);
}
