/**
 * Bluesky `app.bsky.feed.searchPosts` as a polling Source, signed in with an app password: the backfill and
 * catch-up companion of the Jetstream source (search is for "human-directed" queries, so poll it gently).
 *
 * The cursor is the `indexedAt`/`createdAt` time of the newest post stored; each run asks for
 * `sort=latest&since=<cursor>` and pages with the opaque `cursor` (results are newest first, so the time
 * cursor only moves after the last page, as with Hacker News).
 */
import { z } from 'zod';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import type { Source, SourceBatch, SourceItem, SourceReject } from '../../pipeline/source.ts';
import { parseJsonCursor } from '../connector-http.ts';
import { postViewToItem, type PostView } from './bluesky.post.ts';
import { xrpc } from './bluesky.session.ts';

export const blueskySearchSettings = z.object({
  service: z.string().url().default('https://bsky.social'),
  identifier: z.string().trim().min(1),
  appPassword: z.string().min(1),
  /** searchPosts query syntax (words, "phrases", from:, lang:...). */
  query: z.string().trim().min(1).max(500),
  limit: z.number().int().min(1).max(100).default(100),
  maxPages: z.number().int().min(1).max(20).default(5),
  /** How far back the very first run looks. */
  backfillHours: z.number().int().min(0).max(24 * 365).default(24),
  intervalSeconds: z.number().int().min(300).optional(),
});
export type BlueskySearchSettings = z.infer<typeof blueskySearchSettings>;

interface SearchOutput {
  posts?: unknown;
  cursor?: string;
}

/** @throws (from read) Error when sign-in or search fails (with the PDS's reason), SourceRetryError on 429. */
export function createBlueskySearchSource(settings: BlueskySearchSettings, deps: { fetch: SafeFetch; now?: () => number }): Source {
  const now = deps.now ?? Date.now;
  return {
    async *read(cursor, signal): AsyncGenerator<SourceBatch> {
      const since = sinceOf(cursor) ?? new Date(now() - settings.backfillHours * 3_600_000).toISOString();
      let newest = since;
      let page: string | undefined;
      for (let n = 0; n < settings.maxPages; n++) {
        const out = await searchPage(deps.fetch, settings, since, page, signal);
        const batch = toBatch(out.posts as unknown[]);
        for (const item of batch.items) if (typeof item.publishedAt === 'string' && item.publishedAt > newest) newest = item.publishedAt;
        page = out.cursor;
        const last = !page || n + 1 === settings.maxPages || (out.posts as unknown[]).length === 0;
        yield { ...batch, ...(last ? { cursor: JSON.stringify({ since: newest }) } : {}) };
        if (last) return;
      }
    },
  };
}

async function searchPage(fetch: SafeFetch, s: BlueskySearchSettings, since: string, cursor: string | undefined, signal: AbortSignal): Promise<SearchOutput> {
  const { body } = await xrpc<SearchOutput>(fetch, s, 'app.bsky.feed.searchPosts', {
    what: 'the Bluesky post search',
    query: { q: s.query, sort: 'latest', since, limit: s.limit, cursor },
    signal,
  });
  if (!body || !Array.isArray(body.posts)) throw new Error('the Bluesky post search answered without a posts array');
  return body;
}

function toBatch(posts: unknown[]): { items: SourceItem[]; rejects: SourceReject[] } {
  const out = { items: [] as SourceItem[], rejects: [] as SourceReject[] };
  for (const p of posts) {
    const r = postViewToItem(p as PostView);
    if (r && 'item' in r) out.items.push(r.item);
    else if (r) out.rejects.push(r.reject);
  }
  return out;
}

function sinceOf(cursor: string | null): string | null {
  const s = parseJsonCursor(cursor).since;
  return typeof s === 'string' && Number.isFinite(Date.parse(s)) ? s : null;
}
