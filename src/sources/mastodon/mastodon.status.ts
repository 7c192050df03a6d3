/** Mastodon Status entities → SourceItems (pure), and the helpers for Mastodon's paging headers. */
import type { SourceItem, SourceReject } from '../../pipeline/source.ts';
import { htmlToText } from '../rss/html-text.ts';

/** The fields of a Status that Earshot reads. */
export interface MastodonStatus {
  id?: unknown;
  created_at?: string;
  in_reply_to_id?: string | null;
  spoiler_text?: string;
  visibility?: string;
  language?: string | null;
  uri?: string;
  url?: string | null;
  replies_count?: number;
  reblogs_count?: number;
  favourites_count?: number;
  content?: string;
  reblog?: unknown;
  account?: { id?: string; acct?: string; display_name?: string; url?: string; followers_count?: number };
  card?: { title?: string; url?: string } | null;
}

export type StatusResult = { item: SourceItem } | { reject: SourceReject } | null;

/**
 * One status. Boosts (reblogs) give null: they carry no new words, and the original reaches us on its own.
 * A status without id, account or text is a reject (kept as a dead letter, not dropped).
 */
export function statusToItem(s: MastodonStatus, instance: string): StatusResult {
  if (s && s.reblog) return null;
  const id = s && typeof s.id === 'string' && s.id ? s.id : null;
  const acct = s?.account?.acct;
  const text = htmlToText(s?.content ?? '');
  if (!id || !acct || !text) return { reject: { externalId: id, error: 'Mastodon status without id, account or text', payload: s } };
  const a = s.account!;
  return {
    item: {
      // The instance-local id: a reply must name it as in_reply_to_id on the same instance.
      externalId: id,
      title: s.spoiler_text?.trim() || null,
      text,
      url: s.url ?? s.uri ?? null,
      publishedAt: s.created_at ?? null,
      author: { handle: acct, name: a.display_name || null, url: a.url ?? null, followers: a.followers_count ?? null },
      lang: s.language ?? null,
      metrics: { likes: s.favourites_count ?? null, shares: s.reblogs_count ?? null, replies: s.replies_count ?? null },
      parentExternalId: s.in_reply_to_id ?? null,
      channel: 'mastodon',
      extra: { instance, uri: s.uri ?? null, accountId: a.id ?? null, visibility: s.visibility ?? null, ...(s.card?.url ? { link: s.card.url } : {}) },
    },
  };
}

/** Map a page of statuses; non-objects become rejects too. */
export function statusesToBatch(statuses: readonly unknown[], instance: string): { items: SourceItem[]; rejects: SourceReject[] } {
  const out = { items: [] as SourceItem[], rejects: [] as SourceReject[] };
  for (const s of statuses) {
    const r = statusToItem(s as MastodonStatus, instance);
    if (r && 'item' in r) out.items.push(r.item);
    else if (r) out.rejects.push(r.reject);
  }
  return out;
}

/** `Link: <…?max_id=1>; rel="next", <…?min_id=2>; rel="prev"` → { next, prev }. */
export function parseLinkHeader(value: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (value ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m) out[m[2]!] = m[1]!;
  }
  return out;
}
