/**
 * Mastodon: a timeline emulator (max_id/since_id/min_id/limit with `Link` headers) over the real statuses
 * of the Mastodon.py cassettes, a streaming WebSocket that sends them as `update` frames (payload as a JSON
 * string, plus the documented delete/filters_changed frames), and the recorded reply exchange.
 */
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { ReplayServer, type Recorded, type Reply } from '../replay-server.ts';
import { fixtureJson, fixtureText, type ChannelReplay, type ConnectorCase } from '../connector-case.ts';
import { createSafeFetch } from '../../../src/lib/safe-fetch.ts';
import { sendMastodonReply } from '../../../src/sources/mastodon/mastodon.reply.ts';

interface Status {
  id: string;
  [k: string]: unknown;
}
interface Cassette {
  interactions: { request: { method: string; uri: string; body: string | null }; response: { body: unknown } }[];
}

const byId = (a: Status, b: Status) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The nine real statuses of the public and hashtag timeline cassettes, oldest first. */
export function loadStatuses(): Status[] {
  const pub = fixtureJson<Cassette>('mastodon', 'cassette_test_public_tl_anonymous.json').interactions[2]!.response.body as Status[];
  const tag = fixtureJson<Cassette>('mastodon', 'cassette_test_hashtag_tl.json').interactions[2]!.response.body as Status[];
  return [...pub, ...tag].sort(byId);
}

/** GET /api/v1/timelines/tag/:tag as Mastodon pages it (newest first in every page). */
export function timeline(pool: Status[], q: URLSearchParams, base: string, path: string): Reply {
  const limit = Math.min(Number(q.get('limit') ?? 20), 40);
  const after = (k: string) => (s: Status) => !q.get(k) || byId(s, { id: q.get(k)! }) > 0;
  let list = pool.filter((s) => !q.get('max_id') || byId(s, { id: q.get('max_id')! }) < 0).filter(after('since_id')).filter(after('min_id'));
  list = q.get('min_id') ? list.slice(0, limit) : list.slice(-limit);
  const page = list.reverse();
  if (!page.length) return { body: [] };
  const link = `<${base}${path}?max_id=${page.at(-1)!.id}>; rel="next", <${base}${path}?min_id=${page[0]!.id}>; rel="prev"`;
  return { headers: { link, 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '299' }, body: page };
}

const BAD_STATUS = { id: '1', content: '<p>no account</p>' };

function replyRoute(req: Recorded): Reply | null {
  if (req.method !== 'POST' || req.path !== '/api/v1/statuses') return null;
  const c = fixtureJson<Cassette>('mastodon', 'cassette_test_status_reply.json');
  return { body: c.interactions[2]!.response.body };
}

async function checkReply(replay: ChannelReplay): Promise<void> {
  const fetch = createSafeFetch({ allowPrivate: ['loopback'], timeoutMs: 2000, maxBytes: 1 << 20 });
  const sent = await sendMastodonReply({ instance: replay.server.base, accessToken: 'tok-123' }, { inReplyToId: '117020583245459824', authorAcct: 'mastodonpy_test_2', text: 'same!', visibility: 'public', idempotencyKey: 'case-42' }, { fetch });
  assert.equal(sent.id, '117020583258292382');
  const req = replay.server.requests.at(-1)!;
  assert.equal(req.headers.authorization, 'Bearer tok-123');
  assert.equal(req.headers['idempotency-key'], 'case-42');
  assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  // The same fields, with the same values, as the request Mastodon.py recorded against a real server.
  const recorded = new URLSearchParams(fixtureJson<Cassette>('mastodon', 'cassette_test_status_reply.json').interactions[2]!.request.body!);
  const body = new URLSearchParams(req.body);
  for (const k of ['status', 'in_reply_to_id', 'visibility']) assert.equal(body.get(k), recorded.get(k), k);
}

export const mastodonCase: ConnectorCase = {
  name: 'Mastodon (hashtag timeline)',
  kind: 'mastodon',
  now: Date.parse('2026-08-01T14:00:00Z'),
  faultPath: /\/timelines\//,
  malformed: 'body',
  malformedError: /Mastodon hashtag timeline at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/timelines\/tag\/hoot\?… answered with malformed JSON/,
  async start() {
    const all = loadStatuses();
    let pool = all.slice(0, 6);
    let bad = false;
    const server = new ReplayServer((req, base) => {
      if (req.path.startsWith('/api/v1/timelines/tag/')) {
        const r = timeline(pool, req.query, base, req.path);
        if (bad) (r.body as unknown[]).push(BAD_STATUS);
        bad = false;
        return r;
      }
      return replyRoute(req);
    });
    const base = await server.start();
    return {
      server,
      // One status a page, so that every walk has several pages (and a cut read stops in the middle).
      settings: { instance: base, hashtags: ['#Hoot'], limit: 1 },
      firstIds: [all[5]!.id],
      publishMore: () => void (pool = all),
      allIds: [all[5]!.id, ...all.slice(6).map((s) => s.id)],
      serveBadItem: () => void (bad = true),
      assertIncremental(requests) {
        const walk = requests.filter((r) => r.path === '/api/v1/timelines/tag/hoot');
        assert.equal(walk[1]!.query.get('min_id'), all[5]!.id);
        assert.equal(walk[2]!.query.get('min_id'), all[6]!.id, 'follows Link rel="prev"');
      },
    };
  },
  reply: checkReply,
};

/** The documented WebSocket frames (a public-stream update, a delete, filters_changed). */
function docFrames(): string[] {
  return fixtureText('mastodon', 'streaming_websocket_events.jsonl').split('\n').filter(Boolean);
}

const frame = (s: Status) => JSON.stringify({ stream: ['hashtag', 'hoot'], event: 'update', payload: JSON.stringify(s) });

export const mastodonStreamCase: ConnectorCase = {
  name: 'Mastodon (streaming)',
  kind: 'mastodon-stream',
  now: Date.parse('2026-08-01T14:00:00Z'),
  faultPath: /\/api\/v1\/(streaming|timelines)/,
  malformed: 'frame',
  async start() {
    const all = loadStatuses();
    // Live on every connection: s0, s1 (+ s5 once published); s2..s5 reach the timeline while we are away.
    let pool = all.slice(0, 2);
    let live = all.slice(0, 2);
    let mode: 'normal' | 'bad' = 'normal';
    const docUpdateId = (JSON.parse(JSON.parse(docFrames()[0]!).payload) as Status).id;
    const onSocket = (ws: WebSocket, req: Recorded) => {
      if (req.headers.authorization !== 'Bearer tok-123') return void ws.close(4001, 'Error: Missing access token');
      const m = mode;
      mode = 'normal';
      ws.once('message', (msg) => {
        assert.deepEqual(JSON.parse(msg.toString()), { type: 'subscribe', stream: 'hashtag', tag: 'hoot' });
        if (m === 'bad') ws.send('{"stream":["hashtag","hoot"],"event":"update","payload":"{not json');
        if (m === 'bad') ws.send(frame(BAD_STATUS as Status));
        for (const s of live) ws.send(frame(s));
        for (const f of docFrames()) ws.send(f);
        ws.close(1000);
      });
    };
    const server = new ReplayServer((req, base) => {
      if (req.path === '/api/v1/instance') return { body: { uri: '127.0.0.1', urls: { streaming_api: base.replace('http', 'ws') } } };
      if (req.path.startsWith('/api/v1/timelines/tag/')) return timeline(pool, req.query, base, req.path);
      return null;
    }, onSocket);
    const base = await server.start();
    return {
      server,
      settings: { instance: base, hashtags: ['hoot'], accessToken: 'tok-123', limit: 1, connectTimeoutSeconds: 1 },
      firstIds: [...all.slice(0, 2).map((s) => s.id), docUpdateId],
      publishMore() {
        pool = all.slice(0, 6);
        live = [...all.slice(0, 2), all[5]!];
      },
      allIds: [...all.slice(0, 6).map((s) => s.id), docUpdateId],
      serveBadItem: () => void (mode = 'bad'),
      assertIncremental(requests) {
        const gap = requests.find((r) => r.path === '/api/v1/timelines/tag/hoot')!;
        assert.equal(gap.query.get('min_id'), all[1]!.id, 'the gap since the last live status is filled from the timeline');
      },
    };
  },
};
