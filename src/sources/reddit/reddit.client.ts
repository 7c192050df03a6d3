/**
 * A thin Reddit API client (there is no maintained npm client): OAuth tokens cached per app and refreshed on
 * 401, a unique User-Agent on every call (Reddit throttles generic ones), and the `X-Ratelimit-*` headers
 * honoured — when the budget is spent, the caller is told to wait until the reset instead of being banned.
 */
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { SourceRetryError } from '../../pipeline/source.ts';
import { apiUrl, fetchJson, type JsonResponse } from '../connector-http.ts';

export interface RedditApp {
  /** https://www.reddit.com (token endpoint host). */
  authUrl: string;
  /** https://oauth.reddit.com (API host for bearer tokens). */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** e.g. "web:earshot-acme:0.1 (by /u/acme_support)"; Reddit requires a unique, descriptive one. */
  userAgent: string;
  /** Script-app bot account: needed to post replies (the password grant); reading uses the app alone. */
  username?: string;
  password?: string;
}

const tokens = new Map<string, { token: string; expiresAt: number }>();
const keyOf = (a: RedditApp) => `${a.authUrl}\u0000${a.clientId}\u0000${a.username ?? ''}`;

/** @throws Error naming the status when Reddit refuses the app's credentials. */
async function token(fetch: SafeFetch, app: RedditApp, signal?: AbortSignal, now = Date.now()): Promise<string> {
  const hit = tokens.get(keyOf(app));
  if (hit && hit.expiresAt - 60_000 > now) return hit.token;
  const grant: Record<string, string> = app.username && app.password ? { grant_type: 'password', username: app.username, password: app.password } : { grant_type: 'client_credentials' };
  const { body } = await fetchJson<{ access_token?: string; expires_in?: number }>(fetch, apiUrl(app.authUrl, '/api/v1/access_token'), {
    what: 'the Reddit token endpoint',
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': app.userAgent,
    },
    body: new URLSearchParams(grant).toString(),
    signal,
  });
  if (!body?.access_token) throw new Error('the Reddit token endpoint answered without an access_token (check the client id and secret)');
  tokens.set(keyOf(app), { token: body.access_token, expiresAt: now + (body.expires_in ?? 3600) * 1000 });
  return body.access_token;
}

export interface RedditCall {
  method?: 'GET' | 'POST';
  query?: Record<string, string | number | undefined>;
  form?: Record<string, string>;
  what: string;
  signal?: AbortSignal;
}

/** One API call with a bearer token; a 401 (expired or revoked token) gets one fresh token and a retry. */
export async function redditCall<T>(fetch: SafeFetch, app: RedditApp, path: string, call: RedditCall): Promise<JsonResponse<T>> {
  for (let attempt = 0; ; attempt++) {
    const bearer = await token(fetch, app, call.signal);
    const res = await fetchJson<T>(fetch, apiUrl(app.apiUrl, path, { ...call.query, raw_json: 1 }), {
      what: call.what,
      method: call.method ?? 'GET',
      headers: { authorization: `bearer ${bearer}`, 'user-agent': app.userAgent, ...(call.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(call.form ? { body: new URLSearchParams(call.form).toString() } : {}),
      signal: call.signal,
      pass: attempt === 0 ? [401] : [],
    });
    if (res.status !== 401) return res;
    tokens.delete(keyOf(app));
  }
}

/**
 * Before the next call: when X-Ratelimit-Remaining is below 1, wait for X-Ratelimit-Reset (seconds).
 * @throws SourceRetryError with that wait.
 */
export function checkRedditBudget(headers: Headers): void {
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  if (!headers.has('x-ratelimit-remaining') || !Number.isFinite(remaining) || remaining >= 1) return;
  const reset = Number(headers.get('x-ratelimit-reset'));
  const wait = Number.isFinite(reset) && reset > 0 ? reset * 1000 : 60_000;
  throw new SourceRetryError(`the Reddit rate limit is spent; retrying after ${Math.ceil(wait / 1000)} s`, wait);
}
