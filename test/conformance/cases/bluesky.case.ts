/**
 * Bluesky: a Jetstream v1 replay (the 10 golden + 152 captured production events, sent from the requested
 * `cursor` on, as Jetstream does) and an XRPC stub for createSession / searchPosts / resolveHandle /
 * createRecord. searchPosts serves the assembled fixture's postViews plus postViews DERIVED in this file
 * from the captured Jetstream post records (uri, cid and record verbatim; handle "handle.invalid").
 */
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { ReplayServer, type Recorded, type Reply } from '../replay-server.ts';
import { fixtureJson, fixtureText, type ChannelReplay, type ConnectorCase } from '../connector-case.ts';
import { createSafeFetch } from '../../../src/lib/safe-fetch.ts';
import { sendBlueskyReply } from '../../../src/sources/bluesky/bluesky.reply.ts';

interface JetEvent {
  did: string;
  time_us: number;
  kind: string;
  commit?: { operation: string; collection: string; rkey: string; cid: string; record?: { text?: string; createdAt?: string } };
}

function loadEvents(): JetEvent[] {
  const lines = [...fixtureText('bluesky', 'jetstream_v1_golden_10events.jsonl').split('\n'), ...fixtureText('bluesky', 'jetstream_v1_capture_152events.jsonl').split('\n')];
  return lines.filter(Boolean).map((l) => JSON.parse(l) as JetEvent);
}

const isPost = (e: JetEvent) => e.kind === 'commit' && e.commit?.collection === 'app.bsky.feed.post' && ['create', 'update'].includes(e.commit.operation) && !!e.commit.record?.text?.trim();
const uriOf = (e: JetEvent) => `at://${e.did}/app.bsky.feed.post/${e.commit!.rkey}`;
const FIRST = 100;

export const jetstreamCase: ConnectorCase = {
  name: 'Bluesky (Jetstream)',
  kind: 'bluesky',
  now: Date.parse('2026-07-04T15:00:00Z'),
  faultPath: /^\/subscribe/,
  malformed: 'frame',
  async start() {
    const all = loadEvents();
    let pool = all.slice(0, FIRST);
    let mode: 'normal' | 'drop' | 'bad' = 'normal';
    const onSocket = (ws: WebSocket, req: Recorded) => {
      const m = mode;
      mode = 'normal';
      const from = Number(req.query.get('cursor') ?? 0);
      const events = pool.filter((e) => e.time_us >= from);
      if (m === 'bad') ws.send('{"did":"x", not json');
      if (m === 'bad') ws.send(JSON.stringify({ ...all[1], commit: { ...all[1]!.commit, rkey: undefined } }));
      const sent = m === 'drop' ? events.slice(0, events.length / 2) : events;
      for (const e of sent) ws.send(JSON.stringify(e));
      if (m === 'drop') setTimeout(() => ws.terminate(), 50);
      else ws.close(1000);
    };
    const server = new ReplayServer(() => null, onSocket);
    await server.start();
    const ids = (events: JetEvent[]) => [...new Set(events.filter(isPost).map(uriOf))];
    return {
      server,
      settings: { url: `${server.wsBase}/subscribe`, connectTimeoutSeconds: 1 },
      firstIds: ids(all.slice(0, FIRST)),
      publishMore: () => void (pool = all),
      allIds: ids(all),
      serveBadItem: () => void (mode = 'bad'),
      dropNextStream: () => void (mode = 'drop'),
      assertIncremental() {
        const newest = Math.max(...all.slice(0, FIRST).map((e) => e.time_us));
        const q = server.sockets.at(-1)!.query;
        assert.equal(q.get('cursor'), String(newest - 5_000_000), 'reconnects from the cursor rewound 5 s');
        assert.equal(q.get('wantedCollections'), 'app.bsky.feed.post');
      },
    };
  },
};

interface PostView {
  uri: string;
  cid: string;
  author: { did: string; handle: string };
  record: { text?: string; createdAt?: string };
  indexedAt: string;
}

/** DERIVED postViews from the captured Jetstream post creates (see the module comment). */
function derivedPostViews(): PostView[] {
  return loadEvents()
    .filter((e) => isPost(e) && e.commit!.operation === 'create' && e.commit!.record!.createdAt?.endsWith('Z'))
    .map((e) => ({ uri: uriOf(e), cid: e.commit!.cid, author: { did: e.did, handle: 'handle.invalid' }, record: e.commit!.record!, indexedAt: new Date(e.time_us / 1000).toISOString() }));
}

function searchPosts(pool: PostView[], q: URLSearchParams): Reply {
  const since = q.get('since') ?? '';
  const limit = Number(q.get('limit') ?? 25);
  const offset = Number(q.get('cursor') ?? 0);
  const hits = pool.filter((p) => (p.record.createdAt ?? '') >= since).sort((a, b) => (b.record.createdAt! < a.record.createdAt! ? -1 : 1));
  const page = hits.slice(offset, offset + limit);
  return { body: { posts: page, hitsTotal: hits.length, ...(offset + limit < hits.length ? { cursor: String(offset + limit) } : {}) } };
}

const jwt = (n: number) => `x${n.toString(36).replace('.', '')}.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.y`;
const JWT = jwt(1);
const DID = 'did:plc:earshotsupport';

/** `state.token` is the one access token the stub accepts; rotating it makes older ones "expired". */
function xrpcRoute(pool: () => PostView[], bad: { next: boolean }, state = { token: JWT }) {
  return (req: Recorded): Reply | null => {
    if (req.path === '/xrpc/com.atproto.server.createSession') {
      const b = JSON.parse(req.body) as { identifier: string; password: string };
      if (b.password !== 'app-pass-1234') return { status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } };
      return { body: { accessJwt: state.token, refreshJwt: state.token, handle: b.identifier, did: DID } };
    }
    if (!req.headers.authorization) return { status: 401, body: { error: 'AuthMissing' } };
    if (req.headers.authorization !== `Bearer ${state.token}`) return { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } };
    if (req.path === '/xrpc/app.bsky.feed.searchPosts') {
      const r = searchPosts(pool(), req.query);
      if (bad.next) (r.body as { posts: unknown[] }).posts.push({ uri: 'not-an-at-uri', record: { text: 'x' } });
      bad.next = false;
      return r;
    }
    if (req.path === '/xrpc/com.atproto.identity.resolveHandle') return req.query.get('handle') === 'acme.bsky.social' ? { body: { did: 'did:plc:acme' } } : { status: 400, body: { error: 'InvalidRequest', message: 'Unable to resolve handle' } };
    if (req.path === '/xrpc/com.atproto.repo.createRecord') return { body: fixtureJson('bluesky', 'createRecord_response_example.json') };
    return null;
  };
}

async function checkReply(replay: ChannelReplay): Promise<void> {
  const fetch = createSafeFetch({ allowPrivate: ['loopback'], timeoutMs: 2000, maxBytes: 1 << 20 });
  const example = fixtureJson<{ reply: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } } }>('bluesky', 'record_post_reply_example.json');
  const text = '✨ Sorry about that! @acme.bsky.social and @nobody.bsky.social can help: https://acme.example/help #support';
  const account = { service: replay.server.base, identifier: 'support.acme.example', appPassword: 'app-pass-1234' };
  const sent = await sendBlueskyReply(account, { parent: example.reply.parent, root: example.reply.root, text }, { fetch });
  assert.match(sent.uri, /^at:\/\//);
  const req = replay.server.requests.find((r) => r.path === '/xrpc/com.atproto.repo.createRecord')!;
  const body = JSON.parse(req.body) as { repo: string; collection: string; record: { text: string; reply: unknown; facets: { index: { byteStart: number; byteEnd: number }; features: Record<string, string>[] }[] } };
  assert.equal(body.repo, DID);
  assert.equal(body.collection, 'app.bsky.feed.post');
  assert.deepEqual(body.record.reply, example.reply);
  assert.equal(body.record.text, text);
  const bytes = Buffer.from(text, 'utf8');
  const spans = body.record.facets.map((f) => [bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'), f.features[0]!.$type, f.features[0]!.did ?? f.features[0]!.uri ?? f.features[0]!.tag]);
  // UTF-8 byte offsets (✨ is 3 bytes); the unresolvable mention is left as plain text.
  assert.deepEqual(spans, [
    ['@acme.bsky.social', 'app.bsky.richtext.facet#mention', 'did:plc:acme'],
    ['https://acme.example/help', 'app.bsky.richtext.facet#link', 'https://acme.example/help'],
    ['#support', 'app.bsky.richtext.facet#tag', 'support'],
  ]);
}

export const blueskySearchCase: ConnectorCase = {
  name: 'Bluesky (searchPosts)',
  kind: 'bluesky-search',
  now: Date.parse('2026-07-04T15:00:00Z'),
  faultPath: /searchPosts/,
  malformed: 'body',
  malformedError: /Bluesky post search at http:\/\/127\.0\.0\.1:\d+\/xrpc\/app\.bsky\.feed\.searchPosts\?… answered with malformed JSON/,
  async start() {
    const assembled = fixtureJson<{ posts: PostView[] }>('bluesky', 'searchPosts_response_ASSEMBLED.json').posts;
    const derived = derivedPostViews().sort((a, b) => (a.record.createdAt! < b.record.createdAt! ? -1 : 1));
    const newest = derived.slice(-4);
    let pool = [...assembled, ...derived.slice(0, -4)];
    const bad = { next: false };
    const state = { token: jwt(Math.random()) };
    const server = new ReplayServer(xrpcRoute(() => pool, bad, state));
    const base = await server.start();
    const withText = (ps: PostView[]) => ps.filter((p) => p.record.text?.trim()).map((p) => p.uri);
    // The first run looks back a year: the assembled 2023 posts are older than that and are not asked for.
    const recent = (ps: PostView[]) => withText(ps.filter((p) => p.record.createdAt! >= '2025-07-04'));
    return {
      server,
      settings: { service: base, identifier: 'support.acme.example', appPassword: 'app-pass-1234', query: 'acme', limit: 1, maxPages: 20, backfillHours: 24 * 365 },
      firstIds: recent(pool),
      publishMore() {
        pool = [...pool, ...newest];
        state.token = jwt(Math.random());
      },
      get allIds() {
        return recent(pool);
      },
      serveBadItem: () => void (bad.next = true),
      assertIncremental(requests) {
        assert.equal(requests.filter((r) => r.path === '/xrpc/com.atproto.server.createSession').length, 2, 'an ExpiredToken answer signs in again');
        const last = requests.filter((r) => r.path === '/xrpc/app.bsky.feed.searchPosts').at(-1)!;
        assert.equal(last.query.get('sort'), 'latest');
        assert.equal(last.query.get('since'), derived.at(-5)!.record.createdAt);
      },
    };
  },
  reply: checkReply,
};
