/**
 * App stores. Apple: the real JP customer-reviews feed (50 reviews) served in pages of 2 (so that the
 * 10-page limit and paging are exercised), plus an empty US feed (per-country fan-out). Google Play: the
 * official reviews.list example behind a token endpoint that verifies our RS256 assertion with the public
 * half of a key generated for the test, and the official reply request/response.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { ReplayServer, type Recorded, type Reply } from '../replay-server.ts';
import { fixtureJson, type ChannelReplay, type ConnectorCase } from '../connector-case.ts';
import { createSafeFetch } from '../../../src/lib/safe-fetch.ts';
import { sendGooglePlayReply } from '../../../src/sources/appstore/googleplay.reply.ts';

interface Entry {
  id: { label: string };
  [k: string]: unknown;
}

const PER_PAGE = 2;
const HIDDEN = 5;

function feedPage(entries: Entry[], page: number, base: string, cc: string): Reply {
  const slice = entries.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const link = (rel: string, p: number) => ({ attributes: { rel, href: `${base}/${cc}/rss/customerreviews/page=${p}/id=1404176564/sortby=mostrecent/json` } });
  const last = Math.max(1, Math.ceil(entries.length / PER_PAGE));
  return { body: { feed: { title: { label: 'Customer reviews' }, link: [link('self', page), link('last', last), link('next', Math.min(page + 1, last))], ...(slice.length ? { entry: slice } : {}) } } };
}

export const appStoreCase: ConnectorCase = {
  name: 'Apple App Store reviews',
  kind: 'appstore',
  now: Date.parse('2020-08-20T00:00:00Z'),
  faultPath: /^\/jp\//,
  malformed: 'body',
  malformedError: /App Store reviews feed at http:\/\/127\.0\.0\.1:\d+\/jp\/rss\/customerreviews\/page=1\/id=1404176564\/sortby=mostrecent\/json answered with malformed JSON/,
  async start() {
    const all = fixtureJson<{ feed: { entry: Entry[] } }>('appstore', 'apple_customerreviews_jp_app1404176564.json').feed.entry;
    let jp = all.slice(HIDDEN);
    let bad = false;
    const server = new ReplayServer((req, base) => {
      const m = /^\/(\w\w)\/rss\/customerreviews\/page=(\d+)\/id=1404176564\/sortby=mostrecent\/json$/.exec(req.path);
      if (!m) return null;
      const r = feedPage(m[1] === 'jp' ? jp : [], Number(m[2]), base, m[1]!);
      const feed = (r.body as { feed: { entry?: unknown[] } }).feed;
      if (bad && feed.entry) feed.entry.push({ id: { label: '9999999999' }, 'im:rating': { label: '1' }, content: { label: '' } });
      bad = false;
      return r;
    });
    const base = await server.start();
    const ids = (es: Entry[]) => es.map((e) => e.id.label);
    // The first run reads 10 pages of 2: the 20 newest visible reviews (Apple's depth limit, in miniature).
    const first = ids(jp.slice(0, 10 * PER_PAGE));
    return {
      server,
      settings: { appId: '1404176564', countries: ['jp', 'US'], baseUrl: base },
      firstIds: first,
      publishMore: () => void (jp = all),
      allIds: [...ids(all.slice(0, HIDDEN)), ...first],
      serveBadItem: () => void (bad = true),
      assertIncremental(requests: Recorded[]) {
        const jpPages = requests.filter((r) => r.path.startsWith('/jp/')).map((r) => Number(/page=(\d+)/.exec(r.path)![1]));
        assert.equal(Math.max(...jpPages), 10, 'stops at page 10');
        assert.deepEqual(jpPages.slice(10), [1, 2, 3], 'the incremental run stops at the first known review');
        assert.ok(requests.some((r) => r.path.startsWith('/us/')), 'every country is read');
      },
    };
  },
};

/** One key pair for all the Google Play tests (generating one blocks the event loop for a while). */
let keyPair: Promise<crypto.KeyPairKeyObjectResult> | null = null;

async function serviceAccount(base: string): Promise<{ json: string; publicKey: crypto.KeyObject }> {
  keyPair ??= new Promise((resolve, reject) => crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) => (err ? reject(err) : resolve({ publicKey, privateKey }))));
  const { privateKey, publicKey } = await keyPair;
  const json = JSON.stringify({ type: 'service_account', client_email: 'earshot@acme-play.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), token_uri: `${base}/token` });
  return { json, publicKey };
}

function verifyAssertion(body: string, publicKey: crypto.KeyObject): boolean {
  const assertion = new URLSearchParams(body).get('assertion') ?? '';
  const [h, c, sig] = assertion.split('.');
  if (!h || !c || !sig) return false;
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as { scope?: string };
  return claims.scope === 'https://www.googleapis.com/auth/androidpublisher' && crypto.createVerify('RSA-SHA256').update(`${h}.${c}`).verify(publicKey, Buffer.from(sig, 'base64url'));
}

export const googlePlayCase: ConnectorCase = {
  name: 'Google Play reviews',
  kind: 'googleplay',
  now: Date.parse('2015-10-02T00:00:00Z'),
  faultPath: /\/reviews$/,
  malformed: 'body',
  malformedError: /Google Play reviews API at http:\/\/127\.0\.0\.1:\d+\/androidpublisher\/v3\/applications\/com\.acme\.app\/reviews\?… answered with malformed JSON/,
  singleBatch: true,
  async start() {
    const list = fixtureJson<{ reviews: { reviewId: string }[] }>('googleplay', 'androidpublisher_v3_reviews_list_response_officialdoc.json');
    let reviews = list.reviews.slice(0, 1);
    let bad = false;
    let key: crypto.KeyObject | null = null;
    const server = new ReplayServer((req): Reply | null => {
      if (req.path === '/token') return verifyAssertion(req.body, key!) ? { body: { access_token: 'ya29.test', expires_in: 3599, token_type: 'Bearer' } } : { status: 400, body: { error: 'invalid_grant' } };
      if (req.headers.authorization !== 'Bearer ya29.test') return { status: 401, body: { error: { code: 401 } } };
      if (req.path.endsWith(':reply')) return { body: fixtureJson('googleplay', 'androidpublisher_v3_reviews_reply_response_officialdoc.json') };
      if (req.path !== '/androidpublisher/v3/applications/com.acme.app/reviews') return null;
      // Page 1 is the first review (with the example's nextPageToken), page 2 the rest.
      const second = req.query.get('token') === list.reviews.length.toString();
      const page = second ? reviews.slice(1) : reviews.slice(0, 1);
      const out = { reviews: bad ? [...page, { reviewId: 'bad-1', comments: [] }] : page, ...(!second && reviews.length > 1 ? { tokenPagination: { nextPageToken: String(list.reviews.length) } } : {}) };
      bad = false;
      return { body: out };
    });
    const base = await server.start();
    const sa = await serviceAccount(base);
    key = sa.publicKey;
    return {
      server,
      settings: { packageName: 'com.acme.app', serviceAccountJson: sa.json, baseUrl: base, maxResults: 1 },
      firstIds: ['12345678'],
      publishMore: () => void (reviews = list.reviews),
      allIds: list.reviews.map((r) => r.reviewId),
      serveBadItem: () => void (bad = true),
      assertIncremental(requests: Recorded[]) {
        const last = requests.filter((r) => r.path.endsWith('/reviews')).at(-1)!;
        assert.equal(last.query.get('token'), '2', 'follows tokenPagination.nextPageToken');
        assert.equal(last.query.get('maxResults'), '1');
      },
    };
  },
  reply: async (replay: ChannelReplay) => {
    const fetch = createSafeFetch({ allowPrivate: ['loopback'], timeoutMs: 2000, maxBytes: 1 << 20 });
    const s = replay.settings as { packageName: string; serviceAccountJson: string; baseUrl: string };
    const sent = await sendGooglePlayReply(s, { reviewId: '12345678', text: 'Thanks for your feedback!' }, { fetch });
    assert.equal(sent.replyText, 'Thanks for your feedback!');
    const req = replay.server.requests.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/androidpublisher/v3/applications/com.acme.app/reviews/12345678:reply');
    assert.deepEqual(JSON.parse(req.body), fixtureJson('googleplay', 'androidpublisher_v3_reviews_reply_request_officialdoc.json'));
    await assert.rejects(sendGooglePlayReply(s, { reviewId: '12345678', text: 'x'.repeat(351) }, { fetch }), /limited to 350 characters/);
  },
};
