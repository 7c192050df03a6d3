/**
 * Feed entries → SourceItems: the dedupe key, the real link behind Google Alerts redirects, the author.
 */
import crypto from 'node:crypto';
import type { SourceItem, SourceReject } from '../../pipeline/source.ts';
import type { FeedEntry, ParsedFeed } from './feed-parse.ts';

/** Map every entry; an entry with neither title nor text becomes a reject (kept, not dropped). */
export function toSourceItems(feed: ParsedFeed): { items: SourceItem[]; rejects: SourceReject[] } {
  const items: SourceItem[] = [];
  const rejects: SourceReject[] = [];
  for (const entry of feed.entries) {
    const externalId = externalIdOf(entry);
    if (!entry.title && !entry.text) {
      rejects.push({ externalId, error: 'feed entry has neither a title nor any text', payload: entry.raw });
    } else {
      items.push(toSourceItem(entry, externalId, feed.title));
    }
  }
  return { items, rejects };
}

function toSourceItem(entry: FeedEntry, externalId: string, feedTitle: string | null): SourceItem {
  return {
    externalId,
    title: entry.title,
    // Title-only feeds (RSS 1.0 tables of contents, some alerts) still carry something to match on.
    text: entry.text || entry.title || '',
    url: cleanLink(entry.link),
    publishedAt: entry.published,
    author: entry.author ? { handle: entry.author, name: entry.author } : null,
    ...(entry.views !== null ? { metrics: { views: entry.views } } : {}),
    channel: 'rss',
    extra: { feedTitle },
  };
}

/**
 * The dedupe key: guid / Atom id, else the link, else a hash of title and date (and text when both are
 * missing, so that undated untitled entries do not all collide).
 */
export function externalIdOf(entry: FeedEntry): string {
  const id = entry.id?.trim() || entry.link?.trim();
  if (id) return id;
  const basis = [entry.title ?? '', entry.published ?? '', entry.title || entry.published ? '' : entry.text].join('\n');
  return `sha256:${crypto.createHash('sha256').update(basis).digest('hex').slice(0, 32)}`;
}

/**
 * The link to store: Google redirect links unwrapped, and only http(s) kept, because the UI turns the
 * URL into a link and a `javascript:` URL from a hostile feed must never get there.
 */
export function cleanLink(link: string | null): string | null {
  if (!link) return null;
  const url = parseHttpUrl(link.trim());
  if (!url) return null;
  return unwrapGoogleRedirect(url)?.toString() ?? url.toString();
}

/** Google Alerts links look like https://www.google.com/url?rct=j&sa=t&url=<real URL>&ct=ga&... */
function unwrapGoogleRedirect(url: URL): URL | null {
  if (!/(^|\.)google\.[a-z]{2,3}(\.[a-z]{2})?$/i.test(url.hostname) || url.pathname !== '/url') return null;
  const target = url.searchParams.get('url') ?? url.searchParams.get('q');
  return target ? parseHttpUrl(target) : null;
}

function parseHttpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
