/**
 * HTTP helpers shared by the API connectors (Hacker News, Mastodon, Bluesky, Reddit, app stores): one place
 * that turns a status code into the Source contract's errors, so that every connector backs off the same way.
 *
 * All requests go through the SSRF-guarded `safeFetch` (time and size limits included): instance URLs and
 * base URLs are user-supplied, and even the fixed API hosts are configurable so that tests can replay them.
 */
import { redactUrl } from '../lib/safe-fetch.ts';
import type { SafeFetch, SafeFetchInit, SafeResponse } from '../lib/safe-fetch.ts';
import { SourceRetryError } from '../pipeline/source.ts';
import { retryAfterMs } from './rss/rss.source.ts';

/** A 429 without Retry-After still means "slow down": wait this long rather than the usual backoff. */
export const DEFAULT_429_MS = 60_000;

export interface JsonRequest extends SafeFetchInit {
  /** What is being called, for messages ("the Algolia search", "the Mastodon timeline"). */
  what: string;
  /** Statuses handed back to the caller instead of thrown (e.g. 401 to refresh a token), body parsed if JSON. */
  pass?: readonly number[];
  now?: () => number;
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Throw the error the scheduler understands for a non-2xx response.
 * @throws SourceRetryError on 429 (Retry-After or a default minute) and on 503 with Retry-After;
 *   Error "<what> at <url> answered HTTP <status>" otherwise (the scheduler backs off exponentially).
 */
export function checkHttpStatus(res: SafeResponse, what: string, now = Date.now()): void {
  if (res.status >= 200 && res.status < 300) return;
  const where = `${what} at ${redactUrl(res.url)}`;
  if (res.status === 429 || res.status === 503) {
    const wait = retryAfterMs(res.headers.get('retry-after'), now) ?? (res.status === 429 ? DEFAULT_429_MS : null);
    if (wait !== null) throw new SourceRetryError(`${where} answered HTTP ${res.status}; retrying after ${Math.ceil(wait / 1000)} s`, wait);
  }
  throw new Error(`${where} answered HTTP ${res.status}${apiMessage(res.body)}`);
}

/** The API's own error text, if the body has one (never the whole body: it may echo request data). */
function apiMessage(body: Buffer): string {
  try {
    const j = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const m = j.error_description ?? j.message ?? j.error;
    return typeof m === 'string' ? `: ${m.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

/**
 * Fetch and parse JSON.
 * @throws see `checkHttpStatus`; Error "<what> at <url> answered with malformed JSON: <reason>";
 *   the fetch's AppError (`fetch_refused`, `fetch_failed` — timeouts included).
 */
export async function fetchJson<T = unknown>(fetch: SafeFetch, url: string, req: JsonRequest): Promise<JsonResponse<T>> {
  const { what, pass = [], now = Date.now, ...init } = req;
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
  // A passed-through status comes with its body when it is JSON (an API's error object), else undefined.
  if (pass.includes(res.status)) return { status: res.status, headers: res.headers, body: tryJson(res.body) as T };
  checkHttpStatus(res, what, now());
  try {
    return { status: res.status, headers: res.headers, body: JSON.parse(res.body.toString('utf8')) as T };
  } catch (err) {
    throw new Error(`${what} at ${redactUrl(res.url)} answered with malformed JSON: ${(err as Error).message}`);
  }
}

function tryJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** `base` + `path` + query, dropping undefined values; `base` may or may not end with a slash. */
export function apiUrl(base: string, path: string, query: Record<string, string | number | boolean | undefined | null> = {}): string {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) url.searchParams.append(k, String(v));
  return url.toString();
}

/** A JSON cursor object; anything unreadable counts as "no cursor" (it only costs one full read). */
export function parseJsonCursor(cursor: string | null): Record<string, unknown> {
  if (!cursor) return {};
  try {
    const c = JSON.parse(cursor) as unknown;
    return c && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Snowflake-style ids as decimal strings: compare by length first, then lexically (no BigInt parsing). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
