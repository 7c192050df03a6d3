/**
 * Mastodon's streaming API as a streaming Source: the multiplexed WebSocket (`/api/v1/streaming`), one
 * `subscribe` per hashtag. Since Mastodon 4.2 streaming needs a user token.
 *
 * Mastodon streams cannot be resumed, so the cursor is the same `{ "tag:<name>": newestId }` map as the
 * polling source: on every (re)connect the gap since the last stored status is first filled through the
 * hashtag timeline (`min_id` walk), then live events follow. WebSocket frames are JSON whose `payload` is
 * itself a JSON **string** (parsed a second time); `delete` payloads are a bare id and are ignored here.
 */
import { z } from 'zod';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import type { Source, SourceBatch } from '../../pipeline/source.ts';
import { apiUrl, compareIds, fetchJson } from '../connector-http.ts';
import { openGuardedWebSocket, socketBatches, type MessageResult } from '../guarded-websocket.ts';
import { hashtag, mastodonSettings, readCursor, walkTag, type MastodonSettings } from './mastodon.source.ts';
import { statusToItem, type MastodonStatus } from './mastodon.status.ts';

export const mastodonStreamSettings = z.object({
  instance: z.string().url(),
  hashtags: z.array(hashtag).min(1).max(20),
  accessToken: z.string().min(1),
  /** ws(s):// base of the streaming server; discovered from /api/v1/instance when absent. */
  streamingUrl: z.string().url().optional(),
  limit: z.number().int().min(1).max(40).default(40),
  maxPages: z.number().int().min(1).max(50).default(10),
  /** Budget for connecting and the WebSocket handshake. */
  connectTimeoutSeconds: z.number().int().min(1).max(120).default(15),
});
export type MastodonStreamSettings = z.infer<typeof mastodonStreamSettings>;

const FLUSH_MS = 1_000;
const HEARTBEAT_MS = 20_000;

/**
 * @throws (from read) what the timeline walk throws (see mastodon.source.ts); Error when the streaming
 *   server refuses the upgrade (bad token: HTTP 401) or closes with an error; AppError `fetch_refused`.
 */
export function createMastodonStreamSource(settings: MastodonStreamSettings, deps: { fetch: SafeFetch }): Source {
  const poll: MastodonSettings = mastodonSettings.parse({ instance: settings.instance, hashtags: settings.hashtags, accessToken: settings.accessToken, limit: settings.limit, maxPages: settings.maxPages });
  return {
    streaming: true,
    async *read(raw, signal): AsyncGenerator<SourceBatch> {
      const cursor = readCursor(raw);
      // Fill the gap first, so that a restart loses nothing; the first ever run starts live.
      for (const tag of poll.hashtags) if (cursor[`tag:${tag}`]) yield* walkTag(deps.fetch, poll, tag, cursor, signal);
      const base = settings.streamingUrl ?? (await discoverStreaming(deps.fetch, settings.instance, signal));
      const ws = await openGuardedWebSocket(deps.fetch, apiUrl(toWs(base), '/api/v1/streaming'), {
        headers: { authorization: `Bearer ${settings.accessToken}` },
        handshakeTimeoutMs: settings.connectTimeoutSeconds * 1000,
      });
      for (const tag of poll.hashtags) ws.send(JSON.stringify({ type: 'subscribe', stream: 'hashtag', tag }));
      const origin = new URL(settings.instance).origin;
      yield* socketBatches(ws, (data) => onFrame(data, origin, cursor), signal, { flushMs: FLUSH_MS, maxItems: 200, heartbeatMs: HEARTBEAT_MS });
    },
  };
}

/** One WebSocket frame → items; the cursor advances per hashtag the server says the event belongs to. */
export function onFrame(data: string, instance: string, cursor: Record<string, string>): MessageResult {
  let frame: { stream?: unknown; event?: unknown; payload?: unknown; error?: unknown };
  try {
    frame = JSON.parse(data) as typeof frame;
  } catch {
    return { rejects: [{ error: 'Mastodon stream frame is not JSON', payload: data.slice(0, 10_000) }] };
  }
  if (typeof frame.error === 'string') throw new Error(`the Mastodon streaming server said: ${frame.error}`);
  if ((frame.event !== 'update' && frame.event !== 'status.update') || typeof frame.payload !== 'string') return null;
  let status: MastodonStatus;
  try {
    status = JSON.parse(frame.payload) as MastodonStatus;
  } catch {
    return { rejects: [{ error: `Mastodon ${String(frame.event)} payload is not JSON`, payload: frame.payload.slice(0, 10_000) }] };
  }
  const r = statusToItem(status, instance);
  if (!r) return null;
  if ('reject' in r) return { rejects: [r.reject] };
  const tag = Array.isArray(frame.stream) && frame.stream[0] === 'hashtag' ? frame.stream[1] : null;
  if (typeof tag === 'string' && typeof status.id === 'string') {
    const key = `tag:${tag.toLowerCase()}`;
    if (!cursor[key] || compareIds(status.id, cursor[key]) > 0) cursor[key] = status.id;
  }
  return { items: [r.item], cursor: JSON.stringify(cursor) };
}

async function discoverStreaming(fetch: SafeFetch, instance: string, signal: AbortSignal): Promise<string> {
  const { body } = await fetchJson<{ urls?: { streaming_api?: string } }>(fetch, apiUrl(instance, '/api/v1/instance'), { what: 'the Mastodon instance info', signal });
  return body?.urls?.streaming_api ?? instance;
}

function toWs(url: string): string {
  return url.replace(/^http(s?):/, 'ws$1:');
}
