/**
 * Apple App Store reviews from the public customer-reviews feed (no account needed):
 * `/{country}/rss/customerreviews/page={1..10}/id={appId}/sortby=mostrecent/json`. Each country is its own
 * feed of at most 10 pages (about 500 reviews); replying needs the App Store Connect API, not this feed.
 *
 * Review ids grow over time and the feed is newest first, so the cursor keeps the newest id per country
 * and a run stops paging at the first review it already has. The cursor moves after a country's last page
 * (a cut run re-reads from the old one; the repeats are absorbed by the unique rule).
 */
import { z } from 'zod';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import type { Source, SourceBatch, SourceItem, SourceReject } from '../../pipeline/source.ts';
import { apiUrl, compareIds, fetchJson, parseJsonCursor } from '../connector-http.ts';

export const appStoreSettings = z.object({
  /** The numeric id from the App Store URL (…/app/name/id1404176564). */
  appId: z.string().regex(/^\d{5,12}$/, 'the numeric app id from the App Store URL'),
  countries: z.array(z.string().toLowerCase().pipe(z.string().regex(/^[a-z]{2}$/, 'a two-letter country code'))).min(1).max(60).default(['us']),
  pages: z.number().int().min(1).max(10).default(10),
  baseUrl: z.string().url().default('https://itunes.apple.com'),
  intervalSeconds: z.number().int().min(300).optional(),
});
export type AppStoreSettings = z.infer<typeof appStoreSettings>;

type Label = { label?: string };
interface Entry {
  id?: Label;
  title?: Label;
  content?: Label;
  updated?: Label;
  author?: { name?: Label; uri?: Label };
  'im:rating'?: Label;
  'im:version'?: Label;
  'im:voteSum'?: Label;
}

/** @throws (from read) SourceRetryError on 429/503, Error for other statuses and malformed feeds. */
export function createAppStoreSource(settings: AppStoreSettings, deps: { fetch: SafeFetch }): Source {
  return {
    async *read(raw, signal): AsyncGenerator<SourceBatch> {
      const cursor = Object.fromEntries(Object.entries(parseJsonCursor(raw)).filter((e): e is [string, string] => typeof e[1] === 'string'));
      for (const country of settings.countries) yield* readCountry(deps.fetch, settings, country, cursor, signal);
    },
  };
}

async function* readCountry(fetch: SafeFetch, s: AppStoreSettings, country: string, cursor: Record<string, string>, signal: AbortSignal): AsyncGenerator<SourceBatch> {
  const known = cursor[country];
  let newest = known;
  for (let page = 1; page <= s.pages; page++) {
    const url = apiUrl(s.baseUrl, `/${country}/rss/customerreviews/page=${page}/id=${s.appId}/sortby=mostrecent/json`);
    const { body } = await fetchJson<{ feed?: { entry?: Entry | Entry[] } }>(fetch, url, { what: 'the App Store reviews feed', signal });
    if (!body || typeof body.feed !== 'object') throw new Error('the App Store reviews feed answered without a feed object');
    // One entry comes as an object, none as no key at all; the app's own metadata entry has no rating.
    const entries = ([] as Entry[]).concat(body.feed.entry ?? []).filter((e) => e && e['im:rating']);
    const batch = toBatch(entries, country, s.appId, known);
    for (const e of entries) if (e.id?.label && (!newest || compareIds(e.id.label, newest) > 0)) newest = e.id.label;
    const last = !entries.length || batch.reachedKnown || page === s.pages;
    if (last && newest) cursor[country] = newest;
    yield { items: batch.items, rejects: batch.rejects, ...(last ? { cursor: JSON.stringify(cursor) } : {}) };
    if (last) return;
  }
}

function toBatch(entries: Entry[], country: string, appId: string, known: string | undefined): { items: SourceItem[]; rejects: SourceReject[]; reachedKnown: boolean } {
  const out = { items: [] as SourceItem[], rejects: [] as SourceReject[], reachedKnown: false };
  for (const e of entries) {
    const id = e.id?.label;
    if (id && known && compareIds(id, known) <= 0) {
      out.reachedKnown = true;
      continue;
    }
    const item = id ? entryToItem(e, id, country, appId) : null;
    if (item) out.items.push(item);
    else out.rejects.push({ externalId: id ?? null, error: 'App Store review without id or text', payload: e });
  }
  return out;
}

/** One review; null when it has no text at all. */
export function entryToItem(e: Entry, id: string, country: string, appId: string): SourceItem | null {
  const text = e.content?.label?.trim() || e.title?.label?.trim();
  if (!text) return null;
  const name = e.author?.name?.label?.trim();
  return {
    externalId: id,
    title: e.title?.label?.trim() || null,
    text,
    url: `https://apps.apple.com/${country}/app/id${appId}?see-all=reviews`,
    publishedAt: e.updated?.label ?? null,
    author: name ? { handle: name, url: e.author?.uri?.label ?? null } : null,
    channel: 'appstore',
    extra: { rating: Number(e['im:rating']?.label) || null, version: e['im:version']?.label ?? null, country, appId },
  };
}
