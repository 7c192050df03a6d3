/**
 * `safeFetch`: the only way Earshot fetches a URL that a user supplied (feed URLs, webhook targets...).
 *
 * A user who can make the server fetch a URL can otherwise make it read the cloud metadata service,
 * an admin panel on localhost or a database on the private network (SSRF). So every request:
 * - must be http(s) without credentials in the URL;
 * - is resolved by us and connects only to the address we checked (a custom `lookup`), so a DNS answer
 *   that changes between check and connect (DNS rebinding) cannot slip through;
 * - follows redirects by hand (at most 5), checking every hop the same way;
 * - is bounded in time (connect to last body byte, all hops) and in size (also after decompression).
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import { assertAddressAllowed, checkUrl, redactUrl } from './safe-fetch-policy.ts';
import { decodeBody, fetchFailed, toFetchError, tooLarge } from './safe-fetch-body.ts';
import type { PrivateNetworkKind } from '../config.ts';

export { classifyAddress, redactUrl } from './safe-fetch-policy.ts';

export interface SafeFetchPolicy {
  /** Private kinds of destination the operator allowed (FETCH_ALLOW_PRIVATE); public ones always are. */
  readonly allowPrivate: readonly PrivateNetworkKind[];
  /** Budget for the whole call: every connect, redirect and the full body. */
  readonly timeoutMs: number;
  /** Largest body accepted, counted after decompression. */
  readonly maxBytes: number;
}

export interface SafeFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Cancels the call; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface SafeResponse {
  status: number;
  /** Response headers; `get()` is case-insensitive. */
  headers: Headers;
  /** The decoded (decompressed) body. */
  body: Buffer;
  /** The final URL, after redirects. */
  url: string;
}

/**
 * Fetch `url` under the guard's policy. Any status is returned as a response (the caller decides what a
 * 404 means); 3xx with a Location are followed.
 * @throws AppError `fetch_refused` when the URL or any address it (or a redirect) leads to is not allowed.
 * @throws AppError `fetch_failed` on DNS failure, refused connection, timeout, oversized body, too many
 *   redirects or an undecodable body.
 * @throws the caller's `signal.reason` when the caller aborts.
 */
export type SafeFetch = (url: string, init?: SafeFetchInit) => Promise<SafeResponse>;

export const USER_AGENT = 'Earshot/0.1 (+https://github.com/earshot)';
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers the caller may not set: we own framing, compression and the Host (SNI must match it). */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'accept-encoding']);
/** Headers that carry credentials and must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Build a `safeFetch` bound to one policy (usually `config.fetch`). */
export function createSafeFetch(policy: SafeFetchPolicy): SafeFetch {
  const lookup = guardedLookup(policy.allowPrivate);
  return async (url, init = {}) => {
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const signal = init.signal ? AbortSignal.any([timeout, init.signal]) : timeout;
    let hop: Hop = {
      url: checkUrl(url, policy.allowPrivate),
      method: (init.method ?? 'GET').toUpperCase(),
      headers: requestHeaders(init.headers),
      body: init.body,
    };
    try {
      for (let redirects = 0; ; redirects++) {
        const res = await send(hop, lookup, signal);
        const location = res.headers.location;
        if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return await finish(res, hop.url, policy, signal);
        res.destroy();
        if (redirects === MAX_REDIRECTS) throw fetchFailed(`${redactUrl(url)} redirected more than ${MAX_REDIRECTS} times`);
        hop = nextHop(hop, res.statusCode ?? 0, location, policy.allowPrivate);
      }
    } catch (err) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw toFetchError(err, hop.url, timeout.aborted ? policy.timeoutMs : null);
    }
  };
}

function requestHeaders(given: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: '*/*' };
  for (const [name, value] of Object.entries(given)) {
    const key = name.toLowerCase();
    if (!RESERVED_HEADERS.has(key)) headers[key] = value;
  }
  headers['accept-encoding'] = 'gzip, deflate, br';
  return headers;
}

/** The request for the redirect target: re-checked, and without credentials if the origin changes. */
function nextHop(hop: Hop, status: number, location: string, allowPrivate: readonly PrivateNetworkKind[]): Hop {
  let target: string;
  try {
    target = new URL(location, hop.url).toString();
  } catch {
    throw fetchFailed(`${redactUrl(hop.url)} redirected to an invalid URL`);
  }
  const url = checkUrl(target, allowPrivate);
  const headers = { ...hop.headers };
  if (url.origin !== hop.url.origin) for (const h of CREDENTIAL_HEADERS) delete headers[h];
  // As browsers do: 303 always, and 301/302 after a POST, turn into a GET without a body.
  const toGet = status === 303 || ((status === 301 || status === 302) && hop.method === 'POST');
  if (!toGet) return { url, method: hop.method, headers, body: hop.body };
  delete headers['content-type'];
  return { url, method: hop.method === 'HEAD' ? 'HEAD' : 'GET', headers };
}

/**
 * DNS resolution that refuses the connection unless every address the name resolves to is allowed.
 * Node connects to the address this returns, so the checked address is the connected one.
 * (IP-literal hosts never reach a lookup; `checkUrl` checks them.)
 */
function guardedLookup(allowPrivate: readonly PrivateNetworkKind[]): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family, hints: options.hints }, (err, addresses) => {
      if (err) return callback(err, '');
      try {
        if (addresses.length === 0) throw fetchFailed(`could not resolve host ${hostname}`);
        // One refused address refuses the name: mixing public and internal answers is a rebinding trick.
        for (const a of addresses) assertAddressAllowed(hostname, a.address, allowPrivate);
      } catch (e) {
        return callback(e as NodeJS.ErrnoException, '');
      }
      const first = addresses[0]!;
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

function send(hop: Hop, lookup: LookupFunction, signal: AbortSignal): Promise<http.IncomingMessage> {
  const headers = { ...hop.headers };
  if (hop.body !== undefined) headers['content-length'] = String(Buffer.byteLength(hop.body));
  const host = hop.url.hostname.replace(/^\[|\]$/g, '');
  const options: https.RequestOptions = {
    protocol: hop.url.protocol,
    hostname: host,
    port: hop.url.port || undefined,
    path: `${hop.url.pathname}${hop.url.search}`,
    method: hop.method,
    headers,
    signal,
    lookup,
    // A fresh connection per call: a pooled socket must not outlive the check that admitted it.
    agent: false,
    // SNI must name the host, never an IP (Node refuses IP SNI anyway).
    ...(hop.url.protocol === 'https:' && !net.isIP(host) ? { servername: host } : {}),
  };
  const request = hop.url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(options, resolve);
    req.on('error', reject);
    req.end(hop.body);
  });
}

async function finish(res: http.IncomingMessage, url: URL, policy: SafeFetchPolicy, signal: AbortSignal): Promise<SafeResponse> {
  const raw = await readBody(res, policy.maxBytes, url, signal);
  const body = await decodeBody(raw, res.headers['content-encoding'], policy.maxBytes, url);
  return { status: res.statusCode ?? 0, headers: toHeaders(res.rawHeaders), body, url: url.toString() };
}

async function readBody(res: http.IncomingMessage, maxBytes: number, url: URL, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw tooLarge(url, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      res.destroy();
      throw tooLarge(url, maxBytes);
    }
    chunks.push(chunk);
  }
  // A socket closed by an abort can end the iteration quietly; never return half a body.
  if (signal.aborted) throw signal.reason;
  if (!res.complete) throw fetchFailed(`${redactUrl(url)}: the connection closed before the body was complete`);
  return Buffer.concat(chunks);
}

function toHeaders(rawHeaders: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    try {
      headers.append(rawHeaders[i]!, rawHeaders[i + 1]!);
    } catch {
      // A header value Headers refuses (control characters) is dropped rather than failing the fetch.
    }
  }
  return headers;
}
