/**
 * WebSocket streams for streaming sources (Bluesky Jetstream, Mastodon streaming), under the same SSRF rules
 * as `safeFetch`, and the loop that turns a stream of messages into the Source contract's batches.
 *
 * The guard: `SourceDeps` carries the guarded fetch but not its policy, so the policy is asked through the
 * fetch itself — `safeFetch` refuses a disallowed IP literal before any I/O, and with an already-aborted
 * signal it never connects at all. Every address the host resolves to is checked that way inside the
 * connection's own `lookup`, so the checked address is the connected one (no DNS-rebinding window).
 */
import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import WebSocket from 'ws';
import { AppError } from '../lib/errors.ts';
import { classifyAddress, redactUrl } from '../lib/safe-fetch.ts';
import type { SafeFetch } from '../lib/safe-fetch.ts';
import { USER_AGENT } from '../lib/safe-fetch.ts';
import { SourceRetryError, type SourceBatch } from '../pipeline/source.ts';
import { DEFAULT_429_MS } from './connector-http.ts';
import { retryAfterMs } from './rss/rss.source.ts';

/** True when the fetch policy allows connecting to `address` (public addresses always are). */
export async function policyAllows(fetch: SafeFetch, address: string): Promise<boolean> {
  const c = classifyAddress(address);
  if (c.kind === 'public') return true;
  if (c.kind === 'never') return false;
  const literal = net.isIPv6(c.address) ? `[${c.address}]` : c.address;
  try {
    await fetch(`http://${literal}:1/`, { signal: AbortSignal.abort() });
    return true;
  } catch (err) {
    return !(err instanceof AppError && err.code === 'fetch_refused');
  }
}

function refused(host: string, address: string): AppError {
  return new AppError('fetch_refused', `Refused to connect to ${host} (${address}): the address is not allowed (FETCH_ALLOW_PRIVATE).`, 400);
}

function guardedLookup(fetch: SafeFetch): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family }, (err, addresses) => {
      if (err) return callback(err, '');
      void Promise.all(addresses.map((a) => policyAllows(fetch, a.address))).then((ok) => {
        const bad = addresses.find((_, i) => !ok[i]);
        if (bad || addresses.length === 0) return callback(refused(hostname, bad?.address ?? 'none') as NodeJS.ErrnoException, '');
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      });
    });
  };
}

export interface GuardedSocketOptions {
  headers?: Record<string, string>;
  /** Connect + handshake budget. */
  handshakeTimeoutMs?: number;
  maxPayloadBytes?: number;
}

/**
 * Open a WebSocket to a user-supplied ws(s) URL under the fetch policy; resolves once it is open.
 * @throws AppError `fetch_refused` for a disallowed address or scheme; Error naming the URL when the
 *   connection or handshake fails (an HTTP status on upgrade is included).
 */
export async function openGuardedWebSocket(fetch: SafeFetch, rawUrl: string, opts: GuardedSocketOptions = {}): Promise<WebSocket> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new AppError('fetch_refused', `Refused to connect to a ${url.protocol} URL: only ws and wss are allowed.`, 400);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !(await policyAllows(fetch, host))) throw refused(host, host);
  const ws = new WebSocket(url, {
    headers: { 'user-agent': USER_AGENT, ...opts.headers },
    handshakeTimeout: opts.handshakeTimeoutMs ?? 15_000,
    maxPayload: opts.maxPayloadBytes ?? 4 * 1024 * 1024,
    followRedirects: false,
    perMessageDeflate: false,
    lookup: guardedLookup(fetch),
  });
  await new Promise<void>((resolve, reject) => {
    const where = redactUrl(url.toString());
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      const status = res.statusCode ?? 0;
      const wait = status === 429 || status === 503 ? (retryAfterMs(res.headers['retry-after'] ?? null, Date.now()) ?? (status === 429 ? DEFAULT_429_MS : null)) : null;
      const message = `the stream at ${where} answered HTTP ${status} instead of opening a WebSocket`;
      reject(wait !== null ? new SourceRetryError(`${message}; retrying after ${Math.ceil(wait / 1000)} s`, wait) : new Error(message));
    });
    ws.once('error', (err) => {
      const timedOut = /timed out/i.test(err.message);
      const reason = timedOut ? `no WebSocket handshake within ${opts.handshakeTimeoutMs ?? 15_000} ms` : err.message;
      reject(err instanceof AppError ? err : new Error(`could not open the stream at ${where}: ${reason}`));
    });
  });
  return ws;
}

/** What a streaming source makes of one message: items/rejects to add, and the cursor it moves to. */
export type MessageResult = Partial<SourceBatch> | null;

export interface StreamBatchOptions {
  /** Yield at least this often when anything (items or cursor) changed. */
  flushMs: number;
  /** Yield as soon as this many items are buffered. */
  maxItems: number;
  /** Yield an empty batch after this long without messages, so the runner renews its lease. */
  heartbeatMs?: number;
}

/**
 * Turn an open socket into batches until it closes or `signal` aborts. Messages keep arriving while the
 * runner stores a batch; they wait in the buffer (the runner acknowledges by asking for the next batch).
 * @throws Error when the server closes with an error code, or the socket fails; a normal close ends the read.
 */
export async function* socketBatches(ws: WebSocket, onMessage: (data: string) => MessageResult, signal: AbortSignal, opts: StreamBatchOptions): AsyncGenerator<SourceBatch> {
  const state = { buf: emptyBuffer(), ended: false, error: null as Error | null, wake: () => {} };
  const wakeUp = () => state.wake();
  ws.on('message', (data: WebSocket.RawData) => {
    try {
      add(state.buf, onMessage(data.toString()));
    } catch (err) {
      // The source decided the stream is unusable (an error frame): end the read with its reason.
      state.error ??= err as Error;
      ws.terminate();
    }
    if (state.buf.items.length >= opts.maxItems) wakeUp();
  });
  ws.on('close', (code: number, reason: Buffer) => {
    state.ended = true;
    if (code !== 1000 && code !== 1005) state.error = new Error(`the stream closed with code ${code}${reason.length ? `: ${reason.toString().slice(0, 200)}` : ''}`);
    wakeUp();
  });
  ws.on('error', (err: Error) => {
    state.error ??= new Error(`the stream failed: ${err.message}`);
  });
  const onAbort = () => ws.close(1000);
  signal.addEventListener('abort', onAbort, { once: true });
  let lastYield = Date.now();
  try {
    while (!signal.aborted) {
      await new Promise<void>((r) => {
        state.wake = r;
        setTimeout(r, opts.flushMs);
      });
      const { buf } = state;
      const heartbeat = opts.heartbeatMs !== undefined && Date.now() - lastYield >= opts.heartbeatMs;
      if (buf.items.length || buf.rejects.length || buf.cursor !== undefined || heartbeat) {
        state.buf = emptyBuffer();
        lastYield = Date.now();
        yield { items: buf.items, rejects: buf.rejects, ...(buf.cursor !== undefined ? { cursor: buf.cursor } : {}) };
      }
      if (state.ended) break;
    }
    if (state.error && !signal.aborted) throw state.error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
  }
}

interface Buffered {
  items: NonNullable<SourceBatch['items']>;
  rejects: NonNullable<SourceBatch['rejects']>;
  cursor: string | null | undefined;
}

function emptyBuffer(): Buffered {
  return { items: [], rejects: [], cursor: undefined };
}

function add(buf: Buffered, r: MessageResult): void {
  if (!r) return;
  if (r.items) buf.items.push(...r.items);
  if (r.rejects) buf.rejects.push(...r.rejects);
  if (r.cursor !== undefined) buf.cursor = r.cursor;
}
