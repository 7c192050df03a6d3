/**
 * RSS (the core connector): the Guardian RSS 2.0 fixture served with an ETag; the five newest items
 * appear only after publishMore() (a new ETag), and an unchanged feed answers 304.
 */
import assert from 'node:assert/strict';
import { ReplayServer, type Recorded, type Reply } from '../replay-server.ts';
import { fixtureText, type ConnectorCase } from '../connector-case.ts';

const NEWEST_HIDDEN = 5;

export const rssCase: ConnectorCase = {
  name: 'RSS',
  kind: 'rss',
  now: Date.parse('2018-02-01T00:00:00Z'),
  faultPath: /^\/feed/,
  malformed: 'body',
  malformedError: /the feed at http:\/\/127\.0\.0\.1:\d+\/feed is not valid (RSS\/Atom XML|JSON Feed)/,
  singleBatch: true,
  async start() {
    const full = fixtureText('rss', 'rssparser_guardian_rss2.xml');
    const items = full.match(/<item>[\s\S]*?<\/item>/g) ?? [];
    const ids = items.map((i) => /<guid[^>]*>([^<]*)<\/guid>/.exec(i)![1]!);
    let version = 1;
    let bad = false;
    const feed = () => (version === 1 ? withoutNewest(full, items) : full);
    const server = new ReplayServer((req): Reply | null => {
      if (req.path !== '/feed') return null;
      const etag = `"v${version}${bad ? 'b' : ''}"`;
      if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag }, body: '' };
      const body = bad ? feed().replace('</channel>', '<item><guid>bad-1</guid><description> </description></item></channel>') : feed();
      bad = false;
      return { headers: { etag, 'content-type': 'application/rss+xml; charset=utf-8' }, body };
    });
    const base = await server.start();
    return {
      server,
      settings: { url: `${base}/feed` },
      firstIds: ids.slice(NEWEST_HIDDEN),
      allIds: ids,
      publishMore: () => void (version = 2),
      serveBadItem: () => void (bad = true),
      assertIncremental(requests: Recorded[]) {
        assert.equal(requests.at(-1)!.headers['if-none-match'], '"v1"');
      },
    };
  },
};

function withoutNewest(full: string, items: string[]): string {
  let out = full;
  for (const item of items.slice(0, NEWEST_HIDDEN)) out = out.replace(item, '');
  return out;
}
