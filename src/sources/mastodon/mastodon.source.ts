/**
 * Mastodon hashtag timelines and status search as a polling Source, one instance per source.
 *
 * Plain `safeFetch` rather than the masto client: the instance URL is user-supplied, so every call must
 * pass the SSRF guard with its time and size limits, and we need the raw `Link` and `X-RateLimit-*`
 * headers anyway (masto's paginator hides the forward walk and uses an unguarded global fetch).
 *
 * The cursor maps each stream (`tag:<name>`, `search:<q>`) to the newest status id stored. A run walks
 * forward from there with `min_id` and the `Link rel="prev"` pages (oldest unseen first), and commits the
 * cursor with every page, so a run cut short resumes where it stopped, without gaps. The very first run
 * only takes the newest page (Mastodon has no date filter; history is not what a monitor is for).
 */
import { z } from 'zod';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { SourceRetryError, type Source, type SourceBatch } from '../../pipeline/source.ts';
import { apiUrl, compareIds, fetchJson, parseJsonCursor } from '../connector-http.ts';
import { parseLinkHeader, statusesToBatch } from './mastodon.status.ts';

/** A hashtag as people type it (#Brand) → as Mastodon names its timeline (brand). */
export const hashtag = z
  .string()
  .trim()
  .transform((t) => t.replace(/^#/, '').toLowerCase())
  .pipe(z.string().regex(/^[\p{L}\p{N}_]{1,100}$/u, 'a hashtag is letters, digits and _ (without #)'));

export const mastodonSettings = z
  .object({
    /** The instance, e.g. https://mastodon.social */
    instance: z.string().url(),
    hashtags: z.array(hashtag).max(20).default([]),
    /** Full-text status search: needs an access token and an instance with search enabled. */
    search: z.string().trim().min(1).max(500).optional(),
    /** User token (scopes read:statuses read:search; write:statuses for replies). */
    accessToken: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(40).default(40),
    /** Pages walked per stream and run; the rest follows on the next run. */
    maxPages: z.number().int().min(1).max(50).default(10),
    intervalSeconds: z.number().int().min(60).optional(),
  })
  .refine((s) => s.hashtags.length > 0 || s.search, { message: 'give at least one hashtag or a search', path: ['hashtags'] })
  .refine((s) => !s.search || s.accessToken, { message: 'status search needs an access token', path: ['accessToken'] });
export type MastodonSettings = z.infer<typeof mastodonSettings>;

type Cursor = Record<string, string>;

/**
 * @throws (from read) SourceRetryError on 429/503 and when X-RateLimit-Remaining reaches 0 with work left;
 *   Error for other statuses and malformed bodies; the fetch's AppError for refused/unreachable hosts.
 */
export function createMastodonSource(settings: MastodonSettings, deps: { fetch: SafeFetch }): Source {
  return {
    async *read(raw, signal): AsyncGenerator<SourceBatch> {
      const cursor = readCursor(raw);
      for (const tag of settings.hashtags) yield* walkTag(deps.fetch, settings, tag, cursor, signal);
      if (settings.search) yield* searchOnce(deps.fetch, settings, settings.search, cursor, signal);
    },
  };
}

/** The cursor as `{ stream: newestId }`; exported for the streaming source, which shares it. */
export function readCursor(raw: string | null): Cursor {
  const c = parseJsonCursor(raw);
  return Object.fromEntries(Object.entries(c).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function authHeaders(settings: { accessToken?: string }): Record<string, string> {
  return settings.accessToken ? { authorization: `Bearer ${settings.accessToken}` } : {};
}

/** Walks one hashtag forward from the cursor; `cursor` is updated in place and committed per page. */
export async function* walkTag(fetch: SafeFetch, s: MastodonSettings, tag: string, cursor: Cursor, signal: AbortSignal): AsyncGenerator<SourceBatch> {
  const key = `tag:${tag}`;
  const origin = new URL(s.instance).origin;
  let url: string | null = apiUrl(s.instance, `/api/v1/timelines/tag/${encodeURIComponent(tag)}`, { limit: s.limit, min_id: cursor[key] });
  for (let page = 0; url && page < s.maxPages; page++) {
    const res = await fetchJson<unknown>(fetch, url, { what: 'the Mastodon hashtag timeline', headers: authHeaders(s), signal });
    const statuses = asArray(res.body, 'the Mastodon hashtag timeline');
    if (!statuses.length) return;
    advance(cursor, key, statuses);
    yield { ...statusesToBatch(statuses, origin), cursor: JSON.stringify(cursor) };
    // No cursor before this run: the newest page is all we take (see the module comment).
    if (page === 0 && !url.includes('min_id=')) return;
    url = nextPage(res.headers.get('link'), origin, cursor[key]!, url);
    if (url) checkRateLimit(res.headers);
  }
}

async function* searchOnce(fetch: SafeFetch, s: MastodonSettings, q: string, cursor: Cursor, signal: AbortSignal): AsyncGenerator<SourceBatch> {
  const key = `search:${q}`;
  const url = apiUrl(s.instance, '/api/v2/search', { q, type: 'statuses', resolve: false, limit: s.limit, min_id: cursor[key] });
  const res = await fetchJson<{ statuses?: unknown }>(fetch, url, { what: 'the Mastodon search', headers: authHeaders(s), signal });
  const statuses = asArray(res.body?.statuses, 'the Mastodon search');
  if (!statuses.length) return;
  advance(cursor, key, statuses);
  yield { ...statusesToBatch(statuses, new URL(s.instance).origin), cursor: JSON.stringify(cursor) };
}

function asArray(body: unknown, what: string): unknown[] {
  if (!Array.isArray(body)) throw new Error(`${what} answered with something other than a list of statuses`);
  return body;
}

function advance(cursor: Cursor, key: string, statuses: unknown[]): void {
  for (const s of statuses) {
    const id = (s as { id?: unknown })?.id;
    if (typeof id === 'string' && (!cursor[key] || compareIds(id, cursor[key]!) > 0)) cursor[key] = id;
  }
}

/**
 * The page of statuses just newer than `newest`: the server's `rel="prev"` link when it stays on the
 * instance (a Link pointing elsewhere is not followed), else `min_id` set by hand.
 */
function nextPage(link: string | null, origin: string, newest: string, current: string): string {
  const prev = parseLinkHeader(link).prev;
  const u = prev && new URL(prev, origin).origin === origin ? new URL(prev, origin) : new URL(current);
  if (u.toString() === current || !u.searchParams.has('min_id')) u.searchParams.set('min_id', newest);
  // Some servers drop `limit` from their links; keep the page size we asked for.
  if (!u.searchParams.has('limit')) u.searchParams.set('limit', new URL(current).searchParams.get('limit') ?? '40');
  return u.toString();
}

/** Mastodon allows 300 calls per 5 minutes; when the budget is spent, wait for the reset it names. */
export function checkRateLimit(headers: Headers, now = Date.now()): void {
  if (headers.get('x-ratelimit-remaining') !== '0') return;
  const reset = Date.parse(headers.get('x-ratelimit-reset') ?? '');
  const wait = Number.isFinite(reset) ? Math.max(reset - now, 1000) : 60_000;
  throw new SourceRetryError(`the Mastodon rate limit is spent; retrying after ${Math.ceil(wait / 1000)} s`, wait);
}
