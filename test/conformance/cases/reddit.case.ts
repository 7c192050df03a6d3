/**
 * Reddit: a listing emulator (newest first, `limit`/`after`/`before`) over the real submissions and comments
 * of the PRAW betamax cassettes, the token endpoint (tokens rotate after publishMore(), so the source must
 * refresh on 401), and the recorded `POST /api/comment` exchange.
 */
import assert from 'node:assert/strict';
import { ReplayServer, type Recorded, type Reply } from '../replay-server.ts';
import { fixtureJson, type ChannelReplay, type ConnectorCase } from '../connector-case.ts';
import { createSafeFetch } from '../../../src/lib/safe-fetch.ts';
import { sendRedditReply } from '../../../src/sources/reddit/reddit.reply.ts';

interface Thing {
  kind: string;
  data: { name: string; created_utc: number; [k: string]: unknown };
}
interface Cassette {
  interactions: { request: { method: string; uri: string; body: string | null }; response: { body: unknown; headers: Record<string, string> } }[];
}

const listingOf = (file: string, i: number) => (fixtureJson<Cassette>('reddit', file).interactions[i]!.response.body as { data: { children: Thing[] } }).data.children;

function listing(pool: Thing[], q: URLSearchParams): Reply {
  const limit = Number(q.get('limit') ?? 25);
  const at = (name: string | null) => pool.findIndex((t) => t.data.name === name);
  let page: Thing[];
  if (q.get('after')) page = pool.slice(at(q.get('after')) + 1, at(q.get('after')) + 1 + limit);
  else if (q.get('before')) page = pool.slice(Math.max(0, at(q.get('before')) - limit), Math.max(0, at(q.get('before'))));
  else page = pool.slice(0, limit);
  return { headers: { 'x-ratelimit-remaining': '598.0', 'x-ratelimit-used': '2', 'x-ratelimit-reset': '300' }, body: { kind: 'Listing', data: { children: page, after: page.at(-1)?.data.name ?? null, before: null } } };
}

const HIDDEN = 3;
const BAD: Thing = { kind: 't1', data: { name: 't1_bad', body: 'no time' } as unknown as Thing['data'] };

export const redditCase: ConnectorCase = {
  name: 'Reddit (search + subreddit comments)',
  kind: 'reddit',
  now: Date.parse('2016-12-22T03:00:00Z'),
  faultPath: /^\/r\/redditdev\//,
  malformed: 'body',
  malformedError: /Reddit search listing at http:\/\/127\.0\.0\.1:\d+\/r\/redditdev\/search\?… answered with malformed JSON/,
  async start() {
    const posts = listingOf('praw_cassette_TestSubreddit.test_search.json', 1).sort((a, b) => b.data.created_utc - a.data.created_utc);
    const comments = listingOf('praw_cassette_TestSubredditStreams.test_comments.json', 1);
    let visible = { posts: posts.slice(HIDDEN), comments: comments.slice(HIDDEN) };
    let tokenNo = 1;
    let bad = false;
    const server = new ReplayServer((req): Reply | null => {
      if (req.path === '/api/v1/access_token') return { body: { access_token: `tok-${tokenNo}`, token_type: 'bearer', expires_in: 3600, scope: '*' } };
      if (req.headers.authorization !== `bearer tok-${tokenNo}`) return { status: 401, body: { message: 'Unauthorized', error: 401 } };
      if (req.path === '/api/comment') return { body: fixtureJson<Cassette>('reddit', 'praw_cassette_TestComment.test_reply.json').interactions[1]!.response.body };
      const pool = req.path === '/r/redditdev/search' ? visible.posts : req.path === '/r/redditdev/comments' ? visible.comments : null;
      if (!pool) return null;
      const r = listing(pool, req.query);
      if (bad) (r.body as { data: { children: Thing[] } }).data.children.push(BAD);
      bad = false;
      return r;
    });
    const base = await server.start();
    const first = [posts[HIDDEN]!, comments[HIDDEN]!].map((t) => t.data.name);
    return {
      server,
      settings: { clientId: 'cid-1', clientSecret: 'csecret-1', userAgent: 'test:earshot-conformance:0.1 (by /u/earshot)', query: 'praw oauth search', subreddits: ['redditdev'], comments: true, authUrl: base, apiUrl: base, limit: 1 },
      firstIds: first,
      publishMore() {
        visible = { posts, comments };
        tokenNo = 2;
      },
      allIds: [...first, ...posts.slice(0, HIDDEN).map((t) => t.data.name), ...comments.slice(0, HIDDEN).map((t) => t.data.name)],
      serveBadItem: () => void (bad = true),
      assertIncremental(requests: Recorded[]) {
        assert.equal(requests.filter((r) => r.path === '/api/v1/access_token').length, 2, 'a 401 fetches a new token');
        const tokenReq = requests.find((r) => r.path === '/api/v1/access_token')!;
        assert.equal(tokenReq.headers.authorization, `Basic ${Buffer.from('cid-1:csecret-1').toString('base64')}`);
        assert.equal(tokenReq.body, 'grant_type=client_credentials');
        const last = requests.filter((r) => r.path === '/r/redditdev/comments').at(-1)!;
        assert.equal(last.headers['user-agent'], 'test:earshot-conformance:0.1 (by /u/earshot)');
        assert.equal(last.headers.authorization, 'bearer tok-2');
        assert.equal(last.query.get('raw_json'), '1');
        assert.equal(last.query.get('after'), comments[HIDDEN - 1]!.data.name, 'pages back with after= until it reaches the cursor');
      },
    };
  },
  reply: checkReply,
};

async function checkReply(replay: ChannelReplay): Promise<void> {
  const fetch = createSafeFetch({ allowPrivate: ['loopback'], timeoutMs: 2000, maxBytes: 1 << 20 });
  const s = replay.settings as { authUrl: string; apiUrl: string; userAgent: string };
  const app = { ...s, clientId: 'script-id', clientSecret: 'script-secret', username: 'acme_support', password: 'pw' };
  const sent = await sendRedditReply(app, { thingId: 't1_d1616q2', text: 'Comment reply' }, { fetch });
  assert.equal(sent.name, 't1_d1680wu');
  const token = replay.server.requests.filter((r) => r.path === '/api/v1/access_token').at(-1)!;
  assert.deepEqual(Object.fromEntries(new URLSearchParams(token.body)), { grant_type: 'password', username: 'acme_support', password: 'pw' });
  const post = replay.server.requests.find((r) => r.path === '/api/comment')!;
  assert.equal(post.method, 'POST');
  const recorded = fixtureJson<Cassette>('reddit', 'praw_cassette_TestComment.test_reply.json').interactions[1]!.request;
  assert.deepEqual(Object.fromEntries(new URLSearchParams(post.body)), Object.fromEntries(new URLSearchParams(recorded.body!)));
  assert.equal(post.headers['user-agent'], s.userAgent);
}
