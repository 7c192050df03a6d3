/**
 * Validates the inbox metrics on real support threads: the bundled twcs sample (customer tweets and the
 * brands' replies, linked by in_response_to_tweet_id) is imported through the pipeline and the case intake,
 * the brands' replies are recorded as replies sent outside Earshot, and the per-brand figures Earshot
 * reports over HTTP must equal the ones computed here directly from the file.
 *
 * The direct computation applies the documented rules on its own (src/metrics/inbox-metrics.ts):
 * - a customer tweet is about every brand whose handle occurs in it as a word sequence (the brand query is `@handle`);
 * - with intake set to open a case for every mention, a tweet joins the open case of its brand that holds the
 *   tweet it answers, else the open case of the same customer and brand, else opens one; nothing is resolved;
 * - a brand reply answers the case of that brand holding the tweet it responds to; the first response is the
 *   earliest such reply; answered rate = answered ÷ cases; median and p90 (nearest rank) of first-response times;
 * - SLA (first response within 60 min, around the clock): met = answered within 60 min.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DIALECTS } from '../support/test-db.ts';
import { cueEnricher, startInbox, type InboxFixture } from './inbox-fixture.ts';
import type { SourceItem } from '../../src/pipeline/source.ts';

interface Tweet { id: string; author: string; inbound: boolean; at: number; text: string; parent: string | null }
interface Figures { cases: number; answered: number; answeredRate: number | null; medianMs: number | null; p90Ms: number | null; slaMet: number }
/** The SLA policy of the test: first response within 60 minutes, around the clock. */
const FIRST_RESPONSE_MS = 60 * 60_000;

const FILE = path.resolve(import.meta.dirname, '../../datasets/twcs/twcs_head5000.csv');
const idOf = (v: string) => (v ? String(Math.trunc(Number(v))) : null);

function readTweets(): Tweet[] {
  const rows = parse(fs.readFileSync(FILE), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r) => ({ id: idOf(r.tweet_id!)!, author: r.author_id!, inbound: r.inbound === 'True', at: Date.parse(r.created_at!), text: r.text!, parent: idOf(r.in_response_to_tweet_id!) }));
}

const words = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
function mentionsBrand(text: string, handle: string): boolean {
  const t = words(text);
  const h = words(handle);
  return t.some((_, i) => h.every((w, j) => t[i + j] === w));
}

/** The figures per brand handle, straight from the file. */
function directFigures(tweets: Tweet[], brands: string[]): Map<string, Figures> {
  const customer = tweets.filter((t) => t.inbound).sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id));
  const cases: { brand: string; author: string; openedAt: number; tweets: Set<string>; firstResponse: number | null }[] = [];
  for (const t of customer) {
    for (const brand of brands.filter((b) => mentionsBrand(t.text, b))) {
      const joined = (t.parent && cases.find((c) => c.brand === brand && c.tweets.has(t.parent!))) || cases.find((c) => c.brand === brand && c.author === t.author);
      if (joined) joined.tweets.add(t.id);
      else cases.push({ brand, author: t.author, openedAt: t.at, tweets: new Set([t.id]), firstResponse: null });
    }
  }
  for (const r of tweets.filter((t) => !t.inbound && t.parent)) {
    const c = cases.find((x) => x.brand === r.author && x.tweets.has(r.parent!));
    if (c) c.firstResponse = c.firstResponse === null ? r.at : Math.min(c.firstResponse, r.at);
  }
  const out = new Map<string, Figures>();
  for (const brand of brands) {
    const mine = cases.filter((c) => c.brand === brand);
    if (!mine.length) continue;
    const frt = mine.filter((c) => c.firstResponse !== null).map((c) => c.firstResponse! - c.openedAt).sort((a, b) => a - b);
    const n = frt.length;
    out.set(brand, {
      cases: mine.length, answered: n, answeredRate: n / mine.length,
      medianMs: n ? (n % 2 ? frt[(n - 1) / 2]! : (frt[n / 2 - 1]! + frt[n / 2]!) / 2) : null,
      p90Ms: n ? frt[Math.ceil(0.9 * n) - 1]! : null,
      slaMet: frt.filter((ms) => ms <= FIRST_RESPONSE_MS).length,
    });
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`Inbox metrics on the twcs support threads (${dialect})`, () => {
    let f: InboxFixture;
    const tweets = readTweets();
    const brands = [...new Set(tweets.filter((t) => !t.inbound).map((t) => t.author))].sort();
    const brandIds = new Map<string, number>();

    before(async () => {
      f = await startInbox(dialect, {}, [cueEnricher]);
      await f.team.admin.api('PUT', `/api/workspaces/${f.ws}/inbox/settings`, { rules: { everything: true, autoAssign: false }, sla: { firstResponseMinutes: 60 } });
      for (const b of brands) brandIds.set(b, (await f.team.admin.api<{ id: number }>('POST', `/api/workspaces/${f.ws}/brands`, { name: b, query: `@${b}` })).body.id);
      const source = await f.source('webhook', 'twcs import', {});
      const customer = tweets.filter((t) => t.inbound).sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id));
      const items: SourceItem[] = customer.map((t) => ({ externalId: t.id, text: t.text, publishedAt: t.at, author: { handle: t.author }, parentExternalId: t.parent, channel: 'twitter' }));
      for (let i = 0; i < items.length; i += 500) await f.t.app.ctx.pipeline.process({ workspaceId: f.ws, sourceId: source, sourceKind: 'webhook', fixedBrandId: null }, { items: items.slice(i, i + 500), cursor: null });
      await f.intake();
      // The brands' answers, recorded through the API as replies sent outside Earshot (500 per call).
      const replies = tweets.filter((t) => !t.inbound && t.parent).map((r) => ({ text: r.text, brandId: brandIds.get(r.author)!, inReplyToExternalId: r.parent!, externalId: r.id, sentAt: r.at }));
      for (let i = 0; i < replies.length; i += 500) {
        const rec = await f.team.bo.api<{ recorded: number }>('POST', `/api/workspaces/${f.ws}/inbox/external-replies`, { replies: replies.slice(i, i + 500) });
        assert.equal(rec.status, 200, JSON.stringify(rec.body));
      }
    });
    after(() => f.close());

    it('reports per brand the answered rate and first-response median and p90 computed directly from the file', async () => {
      const expected = directFigures(tweets, brands);
      const r = await f.team.vi.api<{ overall: { cases: number }; groups: { key: string; metrics: { cases: number; answered: number; answeredRate: number | null; firstResponse: { medianMs: number | null; p90Ms: number | null }; sla: { first_response: { met: number; decided: number } } } }[] }>('GET', `/api/workspaces/${f.ws}/metrics/inbox?groupBy=brand`);
      assert.equal(r.status, 200);
      const byName = new Map([...brandIds].map(([name, id]) => [String(id), name]));
      const reported = new Map(r.body.groups.map((g) => [byName.get(g.key)!, { cases: g.metrics.cases, answered: g.metrics.answered, answeredRate: g.metrics.answeredRate, medianMs: g.metrics.firstResponse.medianMs, p90Ms: g.metrics.firstResponse.p90Ms, slaMet: g.metrics.sla.first_response.met }]));
      // Nothing is resolved and the threads are from 2017: every unanswered case has breached, so all are decided.
      assert.ok(r.body.groups.every((g) => g.metrics.sla.first_response.decided === g.metrics.cases));
      assert.deepEqual(reported, expected);
      assert.equal(r.body.overall.cases, [...expected.values()].reduce((n, x) => n + x.cases, 0));
      if (process.env.TWCS_REPORT) {
        console.log('overall', JSON.stringify(r.body.overall), 'brands', expected.size);
        for (const [b, x] of [...expected].sort((a, c) => c[1].cases - a[1].cases).slice(0, 8)) console.log(b, JSON.stringify(x));
      }
    });
  });
}
