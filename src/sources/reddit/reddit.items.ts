/** Reddit listing children (t3 submissions, t1 comments) → SourceItems (pure). */
import type { SourceItem, SourceReject } from '../../pipeline/source.ts';

interface Thing {
  kind?: string;
  data?: Record<string, unknown>;
}

const REDDIT = 'https://www.reddit.com';
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Listing → items; `more` stubs are skipped (they are pointers, not text); broken things are rejects. */
export function listingToBatch(listing: unknown): { items: SourceItem[]; rejects: SourceReject[]; names: string[] } {
  const children = (listing as { data?: { children?: unknown } })?.data?.children;
  if (!Array.isArray(children)) throw new Error('the Reddit listing has no data.children array');
  const out = { items: [] as SourceItem[], rejects: [] as SourceReject[], names: [] as string[] };
  for (const c of children as Thing[]) {
    if (c?.kind === 'more') continue;
    const name = str(c?.data?.name);
    if (name) out.names.push(name);
    const item = c?.kind === 't3' ? submission(c.data!) : c?.kind === 't1' ? comment(c.data!) : null;
    if (item) out.items.push(item);
    else out.rejects.push({ externalId: name, error: `Reddit ${c?.kind ?? 'thing'} without name, author, time or text`, payload: c });
  }
  return out;
}

function common(d: Record<string, unknown>): Omit<SourceItem, 'text'> | null {
  const name = str(d.name);
  const created = num(d.created_utc);
  if (!name || created === null) return null;
  const author = str(d.author);
  return {
    externalId: name,
    publishedAt: created * 1000,
    // "[deleted]" authors keep their text but have no identity to merge.
    author: author && author !== '[deleted]' ? { handle: author, url: `${REDDIT}/user/${author}` } : null,
    channel: 'reddit',
  };
}

function permalink(d: Record<string, unknown>): string | null {
  const p = str(d.permalink);
  return p ? `${REDDIT}${p.replace(/\?.*$/, '')}` : null;
}

function submission(d: Record<string, unknown>): SourceItem | null {
  const base = common(d);
  const title = str(d.title);
  if (!base || !title) return null;
  return {
    ...base,
    title,
    text: str(d.selftext) ?? title,
    url: permalink(d),
    metrics: { likes: num(d.score), replies: num(d.num_comments) },
    extra: { subreddit: str(d.subreddit), ...(d.is_self === false && str(d.url) ? { link: str(d.url) } : {}), ...(str(d.removed_by_category) ? { removed: str(d.removed_by_category) } : {}) },
  };
}

function comment(d: Record<string, unknown>): SourceItem | null {
  const base = common(d);
  const body = str(d.body);
  if (!base || !body) return null;
  const link = str(d.link_id);
  const fallback = link && str(d.subreddit) ? `${REDDIT}/r/${str(d.subreddit)}/comments/${link.replace(/^t3_/, '')}/_/${str(d.id) ?? ''}` : null;
  return {
    ...base,
    title: str(d.link_title),
    text: body,
    url: permalink(d) ?? fallback,
    parentExternalId: str(d.parent_id),
    metrics: { likes: num(d.score) },
    extra: { subreddit: str(d.subreddit), ...(link ? { linkId: link } : {}) },
  };
}
