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
 * An open socket whose events are captured from the moment it was created: a server that sends (or closes)
 * right after the upgrade would otherwise do so before anyone listens, and those frames would be lost.
 */
export class OpenSocket {
  readonly messages: string[] = [];
  closed: { code: number; reason: string } | null = null;
  error: Error | null = null;
  private notify: () => void = () => {};

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      this.messages.push(data.toString());
      this.notify();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString().slice(0, 200) };
      this.notify();
    });
    ws.on('error', (err: Error) => {
      this.error ??= err;
    });
  }

  /** Resolves on the next event or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.notify = () => {};
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.notify = done;
    });
  }

  send(data: string): void {
    this.ws.send(data);
  }
}

/**
 * Open a WebSocket to a user-supplied ws(s) URL under the fetch policy; resolves once it is open.
 * @throws AppError `fetch_refused` for a disallowed address or scheme; SourceRetryError when the upgrade
 *   is answered 429 (or 503 with Retry-After); Error naming the URL when the connection or handshake fails.
 */
export async function openGuardedWebSocket(fetch: SafeFetch, rawUrl: string, opts: GuardedSocketOptions = {}): Promise<OpenSocket> {
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
  const socket = new OpenSocket(ws);
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
  return socket;
}

/** What a streaming source makes of one message: items/rejects to add, and the cursor it moves to. */
export type MessageResult = Partial<SourceBatch> | null;

export interface StreamBatchOptions {
  /** Yield at least this often when anything (items or cursor) changed. */
  flushMs: number;
  /** Yield as soon as this many messages are waiting. */
  maxItems: number;
  /** Yield an empty batch after this long without messages, so the runner renews its lease. */
  heartbeatMs?: number;
}

/**
 * Turn an open socket into batches until it closes or `signal` aborts. Messages keep arriving while the
 * runner stores a batch; they wait in the socket's queue (the runner acknowledges by asking for the next
 * batch). `onMessage` may throw to end the read (an error frame from the server).
 * @throws Error when the server closes with an error code, the socket fails, or `onMessage` throws;
 *   a normal close ends the read.
 */
export async function* socketBatches(socket: OpenSocket, onMessage: (data: string) => MessageResult, signal: AbortSignal, opts: StreamBatchOptions): AsyncGenerator<SourceBatch> {
  const onAbort = () => socket.ws.close(1000);
  signal.addEventListener('abort', onAbort, { once: true });
  let lastYield = Date.now();
  try {
    while (!signal.aborted) {
      if (!socket.closed && socket.messages.length < opts.maxItems) await socket.wait(opts.flushMs);
      const ended = socket.closed;
      const buf = emptyBuffer();
      for (const m of socket.messages.splice(0)) add(buf, onMessage(m));
      const heartbeat = opts.heartbeatMs !== undefined && Date.now() - lastYield >= opts.heartbeatMs;
      if (buf.items.length || buf.rejects.length || buf.cursor !== undefined || heartbeat) {
        lastYield = Date.now();
        yield { items: buf.items, rejects: buf.rejects, ...(buf.cursor !== undefined ? { cursor: buf.cursor } : {}) };
      }
      if (ended && !socket.messages.length) {
        if (ended.code !== 1000 && ended.code !== 1005 && !signal.aborted) {
          throw new Error(`the stream closed with code ${ended.code}${ended.reason ? `: ${ended.reason}` : ''}${socket.error ? ` (${socket.error.message})` : ''}`);
        }
        return;
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (socket.ws.readyState === WebSocket.OPEN || socket.ws.readyState === WebSocket.CONNECTING) socket.ws.terminate();
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
