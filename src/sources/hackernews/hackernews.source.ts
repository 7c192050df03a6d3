/**
 * Hacker News as a polling Source, through Algolia's `search_by_date` (newest first, no auth).
 *
 * The cursor is a `created_at_i` watermark (Unix seconds). Each run asks for items created after the
 * watermark minus a small overlap — Algolia indexes with a delay, so an item can appear a little after
 * younger ones; the overlap catches it and the pipeline's unique (source, externalId) rule absorbs the
 * repeats. Pages come newest first, so the watermark only moves after the last page: a run cut short
 * re-reads from the old watermark instead of skipping the older pages it never saw.
 */
import { z } from 'zod';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import type { Source, SourceBatch } from '../../pipeline/source.ts';
import { apiUrl, fetchJson, parseJsonCursor } from '../connector-http.ts';
import { hitsToBatch, type AlgoliaHit } from './hackernews.items.ts';

export const hackerNewsSettings = z.object({
  /** Algolia full-text query (the brand name); the pipeline's brand query does the exact matching. */
  query: z.string().trim().min(1).max(500),
  tags: z.array(z.enum(['story', 'comment'])).min(1).default(['story', 'comment']),
  baseUrl: z.string().url().default('https://hn.algolia.com/api/v1'),
  hitsPerPage: z.number().int().min(1).max(1000).default(100),
  /** Algolia serves at most 1000 hits per query; more pages than that are pointless. */
  maxPages: z.number().int().min(1).max(50).default(10),
  /** How far back the very first run looks. */
  backfillHours: z.number().int().min(0).max(24 * 365).default(24),
  intervalSeconds: z.number().int().min(60).optional(),
});
export type HackerNewsSettings = z.infer<typeof hackerNewsSettings>;

/** Seconds re-read before the watermark on every run (indexing delay). */
export const OVERLAP_SECONDS = 120;

interface SearchPage {
  hits?: unknown;
  nbPages?: number;
  page?: number;
}

/**
 * @throws (from read) SourceRetryError on 429/503+Retry-After; Error for other statuses and for a body
 *   that is not JSON or has no `hits` array; the fetch's AppError when the host is refused or unreachable.
 */
export function createHackerNewsSource(settings: HackerNewsSettings, deps: { fetch: SafeFetch; now?: () => number }): Source {
  const now = deps.now ?? Date.now;
  return {
    async *read(cursor, signal): AsyncGenerator<SourceBatch> {
      const since = watermarkOf(cursor) ?? Math.floor(now() / 1000) - settings.backfillHours * 3600;
      let newest = since;
      for (let page = 0; page < settings.maxPages; page++) {
        const body = await searchPage(deps.fetch, settings, since - OVERLAP_SECONDS, page, signal);
        const hits = body.hits as AlgoliaHit[];
        const batch = hitsToBatch(hits);
        for (const h of hits) if (typeof h?.created_at_i === 'number' && h.created_at_i > newest) newest = h.created_at_i;
        const last = hits.length < settings.hitsPerPage || page + 1 >= (body.nbPages ?? 0) || page + 1 === settings.maxPages;
        yield { ...batch, ...(last ? { cursor: JSON.stringify({ createdAtI: newest }) } : {}) };
        if (last) return;
      }
    },
  };
}

async function searchPage(fetch: SafeFetch, s: HackerNewsSettings, after: number, page: number, signal: AbortSignal): Promise<SearchPage> {
  const url = apiUrl(s.baseUrl, '/search_by_date', {
    query: s.query,
    tags: `(${s.tags.join(',')})`,
    numericFilters: `created_at_i>${after}`,
    hitsPerPage: s.hitsPerPage,
    page,
  });
  const { body } = await fetchJson<SearchPage>(fetch, url, { what: 'the Hacker News (Algolia) search', signal });
  if (!body || typeof body !== 'object' || !Array.isArray(body.hits)) throw new Error('the Hacker News (Algolia) search answered without a hits array');
  return body;
}

function watermarkOf(cursor: string | null): number | null {
  const c = parseJsonCursor(cursor).createdAtI;
  return typeof c === 'number' && Number.isFinite(c) ? c : null;
}
