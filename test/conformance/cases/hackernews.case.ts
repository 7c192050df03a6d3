/**
 * Hacker News: an Algolia `search_by_date` emulator over the real hits recorded in
 * `algolia_recorded_exchanges_all.json` (tags, `created_at_i>` filter, newest first, page/hitsPerPage).
 */
import assert from 'node:assert/strict';
import { ReplayServer, type Recorded } from '../replay-server.ts';
import { fixtureJson, type ConnectorCase } from '../connector-case.ts';

interface Hit {
  objectID: string;
  created_at_i: number;
  _tags: string[];
  [k: string]: unknown;
}

function loadHits(): Hit[] {
  const exchanges = fixtureJson<{ response: { hits?: Hit[] } }[]>('hackernews', 'algolia_recorded_exchanges_all.json');
  const byId = new Map<string, Hit>();
  for (const x of exchanges) for (const h of x.response.hits ?? []) if (h._tags.includes('story') || h._tags.includes('comment')) byId.set(h.objectID, h);
  return [...byId.values()].sort((a, b) => b.created_at_i - a.created_at_i);
}

/** The newest three hits appear only after publishMore(). */
const SPLIT = 3;

const NOW = Date.parse('2014-06-21T00:00:00Z');
/** The first run looks back a year (backfillHours) and the overlap two minutes more. */
const WINDOW_START = NOW / 1000 - 365 * 24 * 3600 - 120;

function search(pool: Hit[], q: URLSearchParams) {
  const tags = (q.get('tags') ?? '').replace(/[()]/g, '').split(',').filter(Boolean);
  const after = Number(/created_at_i>(\d+)/.exec(q.get('numericFilters') ?? '')?.[1] ?? 0);
  const per = Number(q.get('hitsPerPage') ?? 20);
  const page = Number(q.get('page') ?? 0);
  const hits = pool.filter((h) => h.created_at_i > after && (!tags.length || tags.some((t) => h._tags.includes(t))));
  return { hits: hits.slice(page * per, (page + 1) * per), nbHits: hits.length, page, nbPages: Math.ceil(hits.length / per), hitsPerPage: per, query: q.get('query') };
}

export const hackerNewsCase: ConnectorCase = {
  name: 'Hacker News (Algolia)',
  kind: 'hackernews',
  now: NOW,
  faultPath: /search_by_date/,
  malformed: 'body',
  malformedError: /Algolia\) search at http:\/\/127\.0\.0\.1:\d+\/search_by_date\?… answered with malformed JSON/,
  async start() {
    const all = loadHits();
    let pool = all.slice(SPLIT);
    let bad = false;
    const server = new ReplayServer((req) => {
      if (req.path !== '/search_by_date') return null;
      const body = search(pool, req.query);
      if (bad) {
        bad = false;
        body.hits.push({ title: 'no id', created_at_i: 1 } as unknown as Hit);
      }
      return { body };
    });
    const base = await server.start();
    return {
      server,
      // backfillHours reaches back to the oldest recorded hit; one hit a page makes several pages.
      settings: { query: 'apple', baseUrl: base, hitsPerPage: 1, backfillHours: 24 * 365 },
      firstIds: all.slice(SPLIT).filter((h) => h.created_at_i > WINDOW_START).map((h) => h.objectID),
      publishMore: () => void (pool = all),
      get allIds() {
        return all.filter((h) => h.created_at_i > WINDOW_START).map((h) => h.objectID);
      },
      serveBadItem: () => void (bad = true),
      assertIncremental(requests: Recorded[]) {
        const last = requests.filter((r) => r.path === '/search_by_date').at(-1)!;
        const newestFirst = all.slice(SPLIT)[0]!.created_at_i;
        assert.equal(last.query.get('numericFilters'), `created_at_i>${newestFirst - 120}`);
        assert.equal(last.query.get('tags'), '(story,comment)');
      },
    };
  },
};
