/**
 * Signed-in XRPC calls to a Bluesky PDS with an app password, through the SSRF-guarded fetch.
 *
 * `createSession` is limited to 30 calls per 5 minutes and 300 a day per account, and sources are rebuilt
 * for every run, so sessions are cached per (service, identifier) in this process until shortly before the
 * access token expires, and re-created once when the PDS says the token is expired or invalid.
 */
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { apiUrl, fetchJson, type JsonResponse } from '../connector-http.ts';

export interface BlueskyAccount {
  /** The PDS, e.g. https://bsky.social (it proxies app.bsky.* calls to the AppView). */
  service: string;
  /** Handle or DID. */
  identifier: string;
  /** An app password (Settings → App passwords), never the account password. */
  appPassword: string;
}

export interface Session {
  accessJwt: string;
  did: string;
  handle: string;
  expiresAt: number;
}

const sessions = new Map<string, Session>();
/** Tokens are renewed this long before they expire. */
const MARGIN_MS = 60_000;

const key = (a: BlueskyAccount) => `${a.service}\u0000${a.identifier}`;

/** Expiry from the JWT's `exp`; an unreadable token is trusted for five minutes. */
function expiryOf(jwt: string, now: number): number {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    if (typeof payload.exp === 'number') return payload.exp * 1000;
  } catch {
    // fall through
  }
  return now + 5 * 60_000;
}

/** @throws Error "Bluesky sign-in for <identifier> failed: HTTP 401: <reason>" and the fetch's errors. */
export async function getSession(fetch: SafeFetch, account: BlueskyAccount, signal?: AbortSignal, now = Date.now()): Promise<Session> {
  const cached = sessions.get(key(account));
  if (cached && cached.expiresAt - MARGIN_MS > now) return cached;
  const res = await fetchJson<{ accessJwt?: string; did?: string; handle?: string }>(fetch, apiUrl(account.service, '/xrpc/com.atproto.server.createSession'), {
    what: `Bluesky sign-in for ${account.identifier}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: account.identifier, password: account.appPassword }),
    signal,
  });
  const b = res.body;
  if (!b?.accessJwt || !b.did) throw new Error(`Bluesky sign-in for ${account.identifier} answered without accessJwt/did`);
  const session = { accessJwt: b.accessJwt, did: b.did, handle: b.handle ?? account.identifier, expiresAt: expiryOf(b.accessJwt, now) };
  sessions.set(key(account), session);
  return session;
}

export function forgetSession(account: BlueskyAccount): void {
  sessions.delete(key(account));
}

export interface XrpcCall {
  method?: 'GET' | 'POST';
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  what: string;
  signal?: AbortSignal;
}

/**
 * One XRPC call with the session's token; on 401, or 400 ExpiredToken/InvalidToken, signs in again once.
 * @throws Error with the PDS's message for other 400s; see fetchJson for the rest.
 */
export async function xrpc<T>(fetch: SafeFetch, account: BlueskyAccount, nsid: string, call: XrpcCall): Promise<JsonResponse<T>> {
  for (let attempt = 0; ; attempt++) {
    const session = await getSession(fetch, account, call.signal);
    const res = await fetchJson<T>(fetch, apiUrl(account.service, `/xrpc/${nsid}`, call.query), {
      what: call.what,
      method: call.method ?? 'GET',
      headers: { authorization: `Bearer ${session.accessJwt}`, ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      signal: call.signal,
      pass: attempt === 0 ? [400, 401] : [],
    });
    if (res.status !== 400 && res.status !== 401) return res;
    const error = (res.body as { error?: unknown; message?: unknown } | undefined) ?? {};
    // A PDS answers an expired access token with 400 ExpiredToken; any other 400 is the caller's mistake.
    if (res.status === 400 && error.error !== 'ExpiredToken' && error.error !== 'InvalidToken') {
      throw new Error(`${call.what} answered HTTP 400: ${String(error.message ?? error.error ?? 'bad request').slice(0, 200)}`);
    }
    forgetSession(account);
  }
}
