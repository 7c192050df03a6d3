/** Bluesky posts (Jetstream commit records and AppView postViews) → SourceItems (pure). */
import type { SourceItem, SourceReject } from '../../pipeline/source.ts';

type Result = { item: SourceItem } | { reject: SourceReject } | null;

interface StrongRef {
  uri?: string;
  cid?: string;
}

/** The fields of an `app.bsky.feed.post` record that Earshot reads. */
export interface PostRecord {
  text?: unknown;
  createdAt?: string;
  langs?: string[];
  reply?: { root?: StrongRef; parent?: StrongRef };
  embed?: { $type?: string; external?: { uri?: string; title?: string; description?: string } };
  facets?: { features?: { $type?: string; uri?: string; tag?: string }[] }[];
}

/** Ids of a post as a reply needs them: its own strong ref and its thread root. */
export function replyRefs(uri: string, cid: string, record: PostRecord): Record<string, string> {
  const root = record.reply?.root;
  return { cid, rootUri: root?.uri ?? uri, rootCid: root?.cid ?? cid };
}

function postUrl(did: string, rkey: string): string {
  return `https://bsky.app/profile/${did}/post/${rkey}`;
}

/** Jetstream declares languages as BCP 47 tags (en-US); Earshot keeps the primary subtag. */
function primaryLang(langs: unknown): string | null {
  const first = Array.isArray(langs) ? langs[0] : null;
  return typeof first === 'string' ? (first.split('-')[0] ?? '').toLowerCase() || null : null;
}

/** Link targets and hashtags from facets: matching on them catches "check out example.com/brand". */
function facetExtras(record: PostRecord): { links: string[]; tags: string[] } {
  const links: string[] = [];
  const tags: string[] = [];
  for (const f of record.facets ?? []) {
    for (const feat of f.features ?? []) {
      if (feat.$type === 'app.bsky.richtext.facet#link' && feat.uri) links.push(feat.uri);
      if (feat.$type === 'app.bsky.richtext.facet#tag' && feat.tag) tags.push(feat.tag);
    }
  }
  return { links: links.slice(0, 10), tags: tags.slice(0, 20) };
}

function recordItem(uri: string, cid: string, did: string, rkey: string, record: PostRecord, fallbackTime: number | string | null): SourceItem {
  const ext = record.embed?.external;
  const { links, tags } = facetExtras(record);
  const created = record.createdAt && Number.isFinite(Date.parse(record.createdAt)) ? record.createdAt : fallbackTime;
  return {
    externalId: uri,
    // The card of a shared link counts as the title, so brand names in it are matched too.
    title: ext?.title?.trim() || null,
    text: String(record.text),
    url: postUrl(did, rkey),
    publishedAt: created,
    lang: primaryLang(record.langs),
    parentExternalId: record.reply?.parent?.uri ?? null,
    channel: 'bluesky',
    extra: { ...replyRefs(uri, cid, record), ...(links.length ? { links } : {}), ...(tags.length ? { tags } : {}), ...(ext?.uri ? { link: ext.uri } : {}) },
  };
}

/**
 * A Jetstream event: post creates and updates become items (an update of a stored post is "known");
 * deletes, identity and account events and other collections give null; a post without text gives null
 * (nothing to match). A post event missing its ids is a reject.
 */
export function jetstreamEventToItem(ev: Record<string, unknown>): Result {
  const commit = ev.commit as { operation?: string; collection?: string; rkey?: string; cid?: string; record?: PostRecord } | undefined;
  if (ev.kind !== 'commit' || !commit || commit.collection !== 'app.bsky.feed.post') return null;
  if (commit.operation !== 'create' && commit.operation !== 'update') return null;
  const did = typeof ev.did === 'string' ? ev.did : null;
  if (!did || !commit.rkey || !commit.cid || !commit.record) return { reject: { error: 'Jetstream post event without did, rkey, cid or record', payload: ev } };
  if (typeof commit.record.text !== 'string' || !commit.record.text.trim()) return null;
  const uri = `at://${did}/app.bsky.feed.post/${commit.rkey}`;
  const item = recordItem(uri, commit.cid, did, commit.rkey, commit.record, typeof ev.time_us === 'number' ? Math.floor(ev.time_us / 1000) : null);
  // Jetstream carries no handle; the DID is the stable identity (the handle can change).
  return { item: { ...item, author: { handle: did, url: `https://bsky.app/profile/${did}` } } };
}

/** The fields of an `app.bsky.feed.defs#postView` that Earshot reads. */
export interface PostView {
  uri?: string;
  cid?: string;
  author?: { did?: string; handle?: string; displayName?: string };
  record?: PostRecord;
  indexedAt?: string;
  likeCount?: number;
  repostCount?: number;
  replyCount?: number;
  quoteCount?: number;
}

/** A postView from searchPosts/getPostThread. */
export function postViewToItem(p: PostView): Result {
  const m = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(p?.uri ?? '');
  if (!m || !p.cid || !p.record || !p.author?.did) return { reject: { externalId: p?.uri ?? null, error: 'Bluesky postView without uri, cid, record or author', payload: p } };
  if (typeof p.record.text !== 'string' || !p.record.text.trim()) return null;
  const item = recordItem(p.uri!, p.cid, m[1]!, m[2]!, p.record, p.indexedAt ?? null);
  const handle = p.author.handle && p.author.handle !== 'handle.invalid' ? p.author.handle : p.author.did;
  return {
    item: {
      ...item,
      url: `https://bsky.app/profile/${handle}/post/${m[2]}`,
      author: { handle, name: p.author.displayName || null, url: `https://bsky.app/profile/${handle}` },
      metrics: { likes: p.likeCount ?? null, shares: (p.repostCount ?? 0) + (p.quoteCount ?? 0), replies: p.replyCount ?? null },
      extra: { ...item.extra, did: p.author.did },
    },
  };
}
