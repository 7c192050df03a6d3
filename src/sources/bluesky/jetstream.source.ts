/**
 * Bluesky through Jetstream v1 (`/subscribe`, JSON over WebSocket) as a streaming Source.
 *
 * Jetstream is the whole network's firehose of posts (about 50 a second). Every post with text is
 * yielded and the pipeline's brand matcher decides: it runs before enrichment and costs microseconds per
 * post (see docs/sources.md for the measurement), so a second, cheaper-but-different matcher here would
 * only add a way for the two to disagree. Posts without text (images only) cannot match and are skipped.
 *
 * The cursor is the `time_us` of the last event seen (every event kind moves it). On reconnect the stream
 * is asked to replay from a few seconds earlier: events between the last commit and the disconnect are
 * not lost, and the repeats are absorbed by the unique (source, externalId) rule.
 */
import { z } from 'zod';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import type { Source, SourceBatch } from '../../pipeline/source.ts';
import { openGuardedWebSocket, socketBatches, type MessageResult } from '../guarded-websocket.ts';
import { jetstreamEventToItem } from './bluesky.post.ts';

export const jetstreamSettings = z.object({
  url: z
    .string()
    .url()
    .refine((u) => /^wss?:/.test(u), 'must be a ws:// or wss:// URL')
    .default('wss://jetstream2.us-east.bsky.network/subscribe'),
  /** Seconds replayed before the cursor on reconnect. */
  rewindSeconds: z.number().int().min(0).max(3600).default(5),
  /** Only posts declaring one of these languages (ISO 639-1); empty = all. */
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).default([]),
  /** Budget for connecting and the WebSocket handshake. */
  connectTimeoutSeconds: z.number().int().min(1).max(120).default(15),
});
export type JetstreamSettings = z.infer<typeof jetstreamSettings>;

const FLUSH_MS = 1_000;

/**
 * @throws (from read) Error when the stream cannot be opened or closes with an error code; AppError
 *   `fetch_refused` when the host is not allowed. A normal close ends the read (the runner reconnects).
 */
export function createJetstreamSource(settings: JetstreamSettings, deps: { fetch: SafeFetch }): Source {
  return {
    streaming: true,
    async *read(cursor, signal): AsyncGenerator<SourceBatch> {
      const ws = await openGuardedWebSocket(deps.fetch, subscribeUrl(settings, cursor), { handshakeTimeoutMs: settings.connectTimeoutSeconds * 1000 });
      const langs = new Set(settings.languages);
      // Jetstream merges shards, so time_us is only roughly ordered: keep the highest seen.
      let newest = 0;
      const handle = (data: string): MessageResult => {
        const r = onEvent(data, langs);
        if (r?.cursor == null) return r;
        newest = Math.max(newest, Number(r.cursor));
        return { ...r, cursor: String(newest) };
      };
      yield* socketBatches(ws, handle, signal, { flushMs: FLUSH_MS, maxItems: 500, heartbeatMs: 20_000 });
    },
  };
}

/** The subscribe URL: posts only, from the rewound cursor when there is one. */
export function subscribeUrl(settings: JetstreamSettings, cursor: string | null): string {
  const url = new URL(settings.url);
  url.searchParams.set('wantedCollections', 'app.bsky.feed.post');
  const timeUs = cursor && /^\d{1,20}$/.test(cursor) ? Number(cursor) : null;
  if (timeUs !== null) url.searchParams.set('cursor', String(Math.max(0, timeUs - settings.rewindSeconds * 1_000_000)));
  else url.searchParams.delete('cursor');
  return url.toString();
}

/** One Jetstream event → an item (a post create or update), nothing, or a reject; the cursor always moves. */
export function onEvent(data: string, langs: ReadonlySet<string>): MessageResult {
  let ev: Record<string, unknown>;
  try {
    ev = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return { rejects: [{ error: 'Jetstream event is not JSON', payload: data.slice(0, 10_000) }] };
  }
  const cursor = typeof ev.time_us === 'number' ? String(ev.time_us) : undefined;
  const r = jetstreamEventToItem(ev);
  if (!r) return cursor ? { cursor } : null;
  if ('reject' in r) return { rejects: [r.reject], ...(cursor ? { cursor } : {}) };
  if (langs.size && !(r.item.lang && langs.has(r.item.lang))) return cursor ? { cursor } : null;
  return { items: [r.item], ...(cursor ? { cursor } : {}) };
}
