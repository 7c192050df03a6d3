import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { createSafeFetch } from '../../lib/safe-fetch.ts';
import { SourceRetryError } from '../../pipeline/source.ts';
import type { SourceBatch, SourceItem } from '../../pipeline/source.ts';
import { decodeFeedBytes } from './feed-decode.ts';
import { htmlToText } from './html-text.ts';
import { createRssSource, retryAfterMs } from './rss.source.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/rss');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name));
const NOW = Date.parse('2024-05-01T12:00:00Z');
const fetch = createSafeFetch({ allowPrivate: ['loopback'], timeoutMs: 5000, maxBytes: 5 * 1024 * 1024 });
const requests: http.IncomingMessage[] = [];
let base = '';
let server: http.Server;

async function readAll(url: string, cursor: string | null = null, f = fetch): Promise<SourceBatch[]> {
  const source = createRssSource({ url }, { fetch: f, now: () => NOW });
  const batches: SourceBatch[] = [];
  for await (const b of source.read(cursor, new AbortController().signal)) batches.push(b);
  return batches;
}

async function itemsOf(route: string): Promise<SourceItem[]> {
  const batches = await readAll(`${base}${route}`);
  assert.equal(batches.length, 1);
  return batches[0]!.items;
}

/** No tag soup, no markup that could run if some UI ever rendered it as HTML. */
function assertPlain(text: string | null | undefined): void {
  assert.doesNotMatch(text ?? '', /<\/?[a-z][^>]*>|\bonerror\s*=|<script/i);
}

describe('RSS source', () => {
  before(async () => {
    server = http.createServer((req, res) => {
      requests.push(req);
      serve(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('reads RSS 2.0 (Guardian)', async () => {
    const items = await itemsOf('/f/rssparser_guardian_rss2.xml');
    assert.equal(items.length, 55);
    const first = items[0]!;
    assert.equal(first.title, 'Trump State of the Union address promised unity but emphasized discord');
    assert.equal(first.externalId, 'https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord');
    assert.equal(first.url, first.externalId);
    assert.equal(first.publishedAt, '2018-01-31T07:26:05.000Z');
    assert.deepEqual(first.author, { handle: 'David Smith in Washington', name: 'David Smith in Washington' });
    assert.equal(first.channel, 'rss');
    assert.deepEqual(first.extra, { feedTitle: 'The Guardian' });
    assert.match(first.text, /^The president’s ‘new American moment’ speech/);
    for (const item of items) assertPlain(item.text);
  });

  it('reads Atom (heise, FeedBurner)', async () => {
    const heise = await itemsOf('/f/rssparser_heise_atom.xml');
    assert.equal(heise.length, 15);
    assert.equal(heise[0]!.externalId, 'http://heise.de/-3088438');
    assert.equal(heise[0]!.title, 'Java-Anwendungsserver: Red Hat gibt WildFly 10 frei');
    assert.equal(heise[0]!.publishedAt, '2016-02-01T16:22:00.000Z');
    assert.equal(heise[0]!.extra?.feedTitle, 'heise developer neueste Meldungen');
    const blog = await itemsOf('/f/rssparser_feedburner_atom.xml');
    assert.equal(blog.length, 25);
    assert.match(blog[0]!.externalId, /^tag:blogger\.com,1999:blog-\d+\.post-\d+$/);
    assert.equal(blog[0]!.author?.handle, 'Google Ads Developer Advisor');
    assert.match(blog[0]!.text, /^After November 2016, all releases of the Google Ads API Java Client Library/);
    for (const item of [...heise, ...blog]) assertPlain(item.text);
  });

  it('reads RSS 1.0 (RDF), using the title as text when there is no description', async () => {
    const items = await itemsOf('/f/rssparser_rss1_rdf.xml');
    assert.equal(items.length, 69);
    assert.equal(items[0]!.externalId, 'http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1');
    assert.equal(items[0]!.title, 'Food for fungi');
    assert.equal(items[0]!.text, 'Food for fungi');
    assert.equal(items[0]!.author?.handle, 'Hines, P. J.');
    assert.equal(items[0]!.publishedAt, '2017-06-15T17:29:47.000Z');
  });

  it('decodes an ISO-8859-1 feed from the XML declaration or the Content-Type charset', async () => {
    for (const ct of ['text/xml', 'application/rss+xml; charset=ISO-8859-1']) {
      const batches = await readAll(`${base}/f/rssparser_iso8859_rss2.xml?ct=${encodeURIComponent(ct)}`);
      const first = batches[0]!.items[0]!;
      assert.equal(first.title, 'Mãe de utente é a nova presidente da Raríssimas', ct);
      assert.match(first.text, /^Sónia Laygue, profissional na área .* direção da Raríssimas\.$/);
      assert.equal(first.extra?.feedTitle, 'Jornal de Notícias - Últimas Notícias');
      // No guid in this feed: the link is the dedupe key.
      assert.equal(first.externalId, first.url);
    }
  });

  it('reads Reddit RSS with the atom namespace', async () => {
    const items = await itemsOf('/f/rssparser_reddit_rss2_with_atom_ns.xml');
    assert.equal(items.length, 24);
    assert.equal(items[0]!.title, 'The Difficulties in Space');
    assert.equal(items[0]!.externalId, 'https://www.reddit.com/r/space/comments/42babr/the_difficulties_in_space/');
    assert.match(items[0]!.text, /submitted by/);
    for (const item of items) assertPlain(item.text);
  });

  it('reads a YouTube channel feed (leading newline, media:group description and views)', async () => {
    const items = await itemsOf('/f/youtube_channel_atom.xml');
    assert.equal(items.length, 15);
    const first = items[0]!;
    assert.equal(first.externalId, 'yt:video:5shykyfmb28');
    assert.equal(first.url, 'http://www.youtube.com/watch?v=5shykyfmb28');
    assert.match(first.text, /^A question is the most powerful force in the world\./);
    assert.deepEqual(first.metrics, { views: 251497 });
    assert.equal(first.author?.handle, 'Google');
  });

  it('reads Google Alerts: real URLs unwrapped, <b> gone from titles, empty author dropped', async () => {
    const items = await itemsOf('/f/google_alerts_atom.xml');
    assert.equal(items.length, 20);
    const first = items[0]!;
    assert.equal(first.title, 'Report offers Prediction of Automotive Slack Market by Top key players like Haldex, Meritor, Bendix ...');
    assert.match(first.url ?? '', /^https:\/\/www\.aglobalmarketresearch\.com\/report-offers-prediction-of-automotive-slack-market/);
    assert.match(first.text, /^Automotive Slack Market reports provides .* senior \.\.\.$/);
    assert.equal(first.author, null);
    for (const item of items) {
      assert.doesNotMatch(item.url ?? '', /google\.com\/url/);
      assertPlain(item.title);
      assertPlain(item.text);
    }
  });

  it('reads JSON Feed', async () => {
    const items = await itemsOf('/f/jsonfeed_example.json?ct=application%2Ffeed%2Bjson');
    assert.equal(items.length, 20);
    const first = items[0]!;
    assert.equal(first.externalId, 'http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi');
    assert.equal(first.title, 'James Dempsey and the Breakpoints Benefit App Camp for Girls');
    assert.match(first.text, /^On Wednesday night I know where I’ll be — playing keyboard/);
    assertPlain(first.text);
    assert.equal(first.author?.handle, 'Brent Simmons');
    assert.equal(first.extra?.feedTitle, 'inessential.com');
    assert.ok(first.publishedAt);
  });

  it('sends ETag and Last-Modified back and yields nothing on 304', async () => {
    const firstPoll = await readAll(`${base}/conditional`);
    const cursor = firstPoll[0]!.cursor ?? null;
    assert.deepEqual(JSON.parse(cursor ?? '{}'), { etag: '"v1"', lastModified: 'Wed, 31 Jan 2018 20:15:15 GMT' });
    assert.equal(firstPoll[0]!.items.length, 55);
    const secondPoll = await readAll(`${base}/conditional`, cursor);
    const sent = requests.at(-1)!.headers;
    assert.equal(sent['if-none-match'], '"v1"');
    assert.equal(sent['if-modified-since'], 'Wed, 31 Jan 2018 20:15:15 GMT');
    assert.deepEqual(secondPoll, []);
  });

  it('turns 429 / 503 with Retry-After into SourceRetryError, other errors into an Error naming the status', async () => {
    await assert.rejects(readAll(`${base}/status/429?retry=120`), (e) => e instanceof SourceRetryError && e.retryAfterMs === 120_000);
    const date = new Date(NOW + 90_000).toUTCString();
    await assert.rejects(
      readAll(`${base}/status/503?retry=${encodeURIComponent(date)}`),
      (e) => e instanceof SourceRetryError && e.retryAfterMs === 90_000,
    );
    await assert.rejects(readAll(`${base}/status/500`), (e) => !(e instanceof SourceRetryError) && /answered HTTP 500/.test((e as Error).message));
  });

  it('rejects a truncated feed with a clear message', async () => {
    await assert.rejects(readAll(`${base}/broken`), /^Error: the feed at http:\/\/127\.0\.0\.1:\d+\/broken is not valid RSS\/Atom XML: \S/);
  });

  it('keeps an Atom feed whose entry has an unreadable date', async () => {
    const items = await itemsOf('/bad-date');
    assert.equal(items.length, 2);
    assert.equal(items[0]!.publishedAt, null);
    assert.equal(items[1]!.publishedAt, '2024-01-02T03:04:05.000Z');
  });

  it('ingests a feed with invalid UTF-8 bytes, replacing them with U+FFFD', async () => {
    const items = await itemsOf('/bad-utf8');
    assert.equal(items.length, 1);
    assert.equal(items[0]!.title, 'Caf\uFFFD\uFFFD review');
  });

  it('turns hostile HTML into harmless plain text and rejects an empty entry', async () => {
    const [batch] = await readAll(`${base}/hostile`);
    const [item] = batch!.items;
    assert.equal(item!.text, 'Great product, broken checkout.');
    assert.equal(item!.title, 'Hi there');
    assert.equal(item!.url, null, 'a javascript: link is not kept');
    assert.equal(batch!.rejects?.length, 1);
    assert.match(batch!.rejects![0]!.error, /neither a title nor any text/);
  });

  it('is refused by the SSRF guard when loopback is not allowed', async () => {
    const strict = createSafeFetch({ allowPrivate: [], timeoutMs: 5000, maxBytes: 1024 * 1024 });
    await assert.rejects(readAll(`${base}/f/rssparser_guardian_rss2.xml`, null, strict), (e) => e instanceof AppError && e.code === 'fetch_refused');
  });
});

describe('feed helpers', () => {
  it('decodes by BOM first, then charset, then the XML declaration', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<rss>é</rss>', 'utf16le')]);
    assert.equal(decodeFeedBytes(utf16, 'text/xml; charset=iso-8859-1'), '<rss>é</rss>');
    const latin1 = Buffer.from('<?xml version="1.0" encoding="windows-1252"?><a>\x80</a>', 'latin1');
    assert.equal(decodeFeedBytes(latin1, 'text/xml'), '<?xml version="1.0" encoding="windows-1252"?><a>€</a>');
    assert.equal(decodeFeedBytes(Buffer.from('ü', 'latin1'), 'text/xml; charset=bogus-charset'), '\uFFFD');
  });

  it('converts HTML to plain text', () => {
    assert.equal(htmlToText('<p>One &amp; two</p><p>three&nbsp;&#8217;&#146;&hellip;</p>'), 'One & two\n\nthree ’’…');
    assert.equal(htmlToText('&lt;b&gt;double&lt;/b&gt; escaped'), 'double escaped');
    assert.equal(htmlToText('<a title="x>y" href="#">link</a> a < b'), 'link a < b');
    assert.equal(htmlToText('<style>p{}</style><!-- c -->text<script>alert(1)'), 'text');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('30', NOW), 30_000);
    assert.equal(retryAfterMs(new Date(NOW - 5000).toUTCString(), NOW), 0);
    assert.equal(retryAfterMs('soon', NOW), null);
    assert.equal(retryAfterMs('99999999', NOW), 24 * 60 * 60 * 1000);
  });
});

const HOSTILE = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Hostile</title>
<item><guid>h1</guid><title>&lt;b onmouseover=alert(1)&gt;Hi&lt;/b&gt; there</title><link>javascript:alert(1)</link>
<description><![CDATA[<img src=x onerror=alert(1)><script>alert(1)</script>Great product, broken checkout.]]></description></item>
<item><guid>h2</guid><description>   </description></item>
</channel></rss>`;

const BAD_DATE = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Dates</title>
<entry><id>d1</id><title>Undated</title><published>last Tuesday</published></entry>
<entry><id>d2</id><title>Dated</title><published>2024-01-02T03:04:05Z</published></entry></feed>`;

function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const [, kind, name] = url.pathname.split('/');
  if (kind === 'f' && name) {
    const ct = url.searchParams.get('ct') ?? (name.endsWith('.json') ? 'application/json' : 'application/xml');
    return void res.writeHead(200, { 'Content-Type': ct }).end(fixture(name));
  }
  if (kind === 'status') {
    const retry = url.searchParams.get('retry');
    return void res.writeHead(Number(name), retry ? { 'Retry-After': retry } : {}).end('busy');
  }
  switch (kind) {
    case 'conditional': {
      const headers = { ETag: '"v1"', 'Last-Modified': 'Wed, 31 Jan 2018 20:15:15 GMT', 'Content-Type': 'application/rss+xml' };
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, headers).end();
      return void res.writeHead(200, headers).end(fixture('rssparser_guardian_rss2.xml'));
    }
    case 'broken': {
      const full = fixture('rssparser_heise_atom.xml');
      return void res.writeHead(200, { 'Content-Type': 'application/atom+xml' }).end(full.subarray(0, full.length / 2));
    }
    case 'bad-utf8': {
      const head = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><item><guid>b1</guid><title>Caf');
      const tail = Buffer.from(' review</title><description>ok</description></item></channel></rss>');
      return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(Buffer.concat([head, Buffer.from([0xc3, 0xff]), tail]));
    }
    case 'bad-date':
      return void res.writeHead(200, { 'Content-Type': 'application/atom+xml' }).end(BAD_DATE);
    case 'hostile':
      return void res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(HOSTILE);
    default:
      return void res.writeHead(404).end();
  }
}
