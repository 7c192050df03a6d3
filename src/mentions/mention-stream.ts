/**
 * Server-Sent Events for new mentions. Each event carries the mention id as its SSE id, so a client that
 * reconnects with Last-Event-ID first receives what it missed (from the database), then live events.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { listMentionsAfter, type MentionFilter } from './mention.repository.ts';
import type { Mention } from './mention.ts';

const HEARTBEAT_MS = 15_000;
const CATCH_UP_LIMIT = 500;

function matches(m: Mention, f: MentionFilter): boolean {
  if (f.brandId !== undefined && !m.brandIds.includes(f.brandId)) return false;
  if (f.sourceId !== undefined && m.sourceId !== f.sourceId) return false;
  if (f.channel && m.channel !== f.channel) return false;
  if (f.authorId !== undefined && m.author?.id !== f.authorId) return false;
  if (f.lang && m.lang !== f.lang) return false;
  if (f.sentiment && (m.sentiment?.label ?? 'none') !== f.sentiment) return false;
  if (!f.duplicates && m.duplicateOf !== null) return false;
  return true;
}

export async function streamMentions(ctx: AppContext, req: IncomingMessage, reply: FastifyReply, workspaceId: number, filter: MentionFilter, lastEventId: number | null): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(`retry: 3000\n\n`);
  const send = (m: Mention) => res.write(`id: ${m.id}\nevent: mention\ndata: ${JSON.stringify(m)}\n\n`);
  // Subscribe before catching up so nothing falls between the two; duplicates are skipped by id.
  let highest = lastEventId ?? 0;
  const pending: Mention[] = [];
  let live = false;
  const unsubscribe = ctx.bus.subscribe(workspaceId, (mentions) => {
    for (const m of mentions) {
      if (!matches(m, filter)) continue;
      if (live) deliver(m);
      else pending.push(m);
    }
  });
  function deliver(m: Mention) {
    if (m.id <= highest) return;
    highest = m.id;
    send(m);
  }
  const heartbeat = setInterval(() => res.write(`: keep-alive\n\n`), HEARTBEAT_MS);
  req.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
  if (lastEventId !== null) for (const m of await listMentionsAfter(ctx.db.kysely, ctx.db.dialect, workspaceId, filter, lastEventId, CATCH_UP_LIMIT)) deliver(m);
  live = true;
  for (const m of pending.sort((a, b) => a.id - b.id)) deliver(m);
}
