/**
 * Reddit search and subreddit comment listings as a polling Source (Reddit has no streaming API; this is
 * how PRAW's streams work too).
 *
 * Listings are newest first. The cursor keeps, per stream (`search`, `comments`), the fullname and time of
 * the newest item stored; a run reads the newest page and pages back with `after=<fullname>` until it
 * reaches that item (or anything older: the item may have been deleted, which would strand a `before=`
 * cursor forever). Pages come newest first, so the cursor moves only after the last page; a cut run
 * re-reads from the old cursor and the unique (source, externalId) rule absorbs the repeats.
 * The first run only takes the newest page. Reddit listings stop at about 1000 items.
 */
import { z } from 'zod';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import type { Source, SourceBatch } from '../../pipeline/source.ts';
import { parseJsonCursor } from '../connector-http.ts';
import { checkRedditBudget, redditCall, type RedditApp } from './reddit.client.ts';
import { listingToBatch } from './reddit.items.ts';

export const redditSettings = z
  .object({
    clientId: z.string().trim().min(1),
    clientSecret: z.string().min(1),
    /** The bot account of a "script" app (its developer): only needed to reply from the inbox; reading uses the app alone. */
    username: z.string().trim().min(1).max(40).optional(),
    password: z.string().min(1).max(1024).optional(),
    userAgent: z.string().trim().min(10, 'Reddit needs a unique User-Agent such as "web:earshot-acme:0.1 (by /u/acme_support)"'),
    /** Reddit search syntax; searched site-wide, or inside `subreddits` when given. */
    query: z.string().trim().min(1).max(512).optional(),
    subreddits: z.array(z.string().regex(/^[A-Za-z0-9_]{2,21}$/, 'a subreddit name without r/')).max(50).default([]),
    /** Also read every new comment in `subreddits` (the brand query filters them). */
    comments: z.boolean().default(false),
    authUrl: z.string().url().default('https://www.reddit.com'),
    apiUrl: z.string().url().default('https://oauth.reddit.com'),
    limit: z.number().int().min(1).max(100).default(100),
    maxPages: z.number().int().min(1).max(10).default(5),
    intervalSeconds: z.number().int().min(60).optional(),
  })
  .refine((s) => s.query || (s.comments && s.subreddits.length), { message: 'give a search query, or subreddits with comments: true', path: ['query'] });
export type RedditSettings = z.infer<typeof redditSettings>;

interface Stream {
  key: 'search' | 'comments';
  path: string;
  query: Record<string, string | number | undefined>;
}

function streams(s: RedditSettings): Stream[] {
  const subs = s.subreddits.join('+');
  const out: Stream[] = [];
  if (s.query) out.push({ key: 'search', path: subs ? `/r/${subs}/search` : '/search', query: { q: s.query, sort: 'new', restrict_sr: subs ? 1 : undefined, type: 'link' } });
  if (s.comments && subs) out.push({ key: 'comments', path: `/r/${subs}/comments`, query: {} });
  return out;
}

/**
 * @throws (from read) SourceRetryError on 429 and when X-Ratelimit-Remaining runs out with pages left;
 *   Error for other statuses, refused credentials and malformed listings.
 */
export function createRedditSource(settings: RedditSettings, deps: { fetch: SafeFetch }): Source {
  const app: RedditApp = { authUrl: settings.authUrl, apiUrl: settings.apiUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, userAgent: settings.userAgent };
  return {
    async *read(raw, signal): AsyncGenerator<SourceBatch> {
      const cursor = readCursor(raw);
      for (const stream of streams(settings)) yield* walk(deps.fetch, app, settings, stream, cursor, signal);
    },
  };
}

interface StreamCursor {
  name: string;
  /** created_utc of that item, in ms. */
  time: number;
}

async function* walk(fetch: SafeFetch, app: RedditApp, s: RedditSettings, stream: Stream, cursor: Record<string, StreamCursor>, signal: AbortSignal): AsyncGenerator<SourceBatch> {
  const known = cursor[stream.key];
  let newest: StreamCursor | null = null;
  let after: string | undefined;
  for (let page = 0; page < s.maxPages; page++) {
    const res = await redditCall<unknown>(fetch, app, stream.path, { what: `the Reddit ${stream.key} listing`, query: { ...stream.query, limit: s.limit, after }, signal });
    const { items, rejects, names } = listingToBatch(res.body);
    newest ??= items[0] ? { name: items[0].externalId, time: items[0].publishedAt as number } : null;
    const fresh = known ? items.filter((i) => (i.publishedAt as number) >= known.time && i.externalId !== known.name) : items;
    const reachedKnown = !known || fresh.length < items.length || names.includes(known.name);
    const last = reachedKnown || names.length < s.limit || page + 1 === s.maxPages;
    if (last && newest) cursor[stream.key] = newest;
    yield { items: fresh, rejects, ...(last ? { cursor: JSON.stringify(cursor) } : {}) };
    if (last) return;
    checkRedditBudget(res.headers);
    after = names.at(-1);
  }
}

function readCursor(raw: string | null): Record<string, StreamCursor> {
  const out: Record<string, StreamCursor> = {};
  for (const [k, v] of Object.entries(parseJsonCursor(raw))) {
    const c = v as Partial<StreamCursor> | null;
    if (c && typeof c.name === 'string' && typeof c.time === 'number') out[k] = { name: c.name, time: c.time };
  }
  return out;
}
