/**
 * The mentions behind an alert: a brand's mentions in a time window (optionally only the negative ones),
 * with their authors' reach. Read when an alert opens or updates, and by the alert detail page; bounded by
 * `limit`, newest first, using the (brand_id, published_at) index.
 */
import { parseJson } from '../db/json.ts';
import type { RadarDb } from '../radar/radar.schema.ts';

export interface WindowMention {
  id: number;
  text: string;
  title: string | null;
  url: string | null;
  publishedAt: number;
  sentiment: string | null;
  topics: string[];
  nearHash: string | null;
  duplicateOf: number | null;
  likes: number;
  shares: number;
  authorId: number | null;
  handle: string | null;
  authorName: string | null;
  followers: number | null;
}

export interface WindowQuery {
  brandId: number;
  from: number;
  to: number;
  negativeOnly?: boolean;
  /** Only mentions with this topic (filtered after reading, so `limit` bounds the rows read). */
  topic?: string;
  limit: number;
}

const COLUMNS = ['m.id', 'm.text', 'm.title', 'm.url', 'm.published_at', 'm.sentiment', 'm.extra', 'm.near_hash', 'm.duplicate_of', 'm.likes', 'm.shares', 'm.author_id', 'a.handle', 'a.name', 'a.followers'] as const;

interface Row {
  id: number; text: string; title: string | null; url: string | null; published_at: number; sentiment: string | null; extra: string | null;
  near_hash: string | null; duplicate_of: number | null; likes: number | null; shares: number | null; author_id: number | null;
  handle: string | null; name: string | null; followers: number | null;
}

function toWindowMention(r: Row): WindowMention {
  return {
    id: r.id, text: r.text, title: r.title, url: r.url, publishedAt: Number(r.published_at), sentiment: r.sentiment,
    topics: parseJson<{ topics?: string[] }>(r.extra, {}).topics ?? [], nearHash: r.near_hash, duplicateOf: r.duplicate_of,
    likes: r.likes ?? 0, shares: r.shares ?? 0, authorId: r.author_id, handle: r.handle, authorName: r.name, followers: r.followers,
  };
}

export async function listWindowMentions(db: RadarDb, workspaceId: number, w: WindowQuery): Promise<WindowMention[]> {
  let q = db
    .selectFrom('mention_brands as mb')
    .innerJoin('mentions as m', 'm.id', 'mb.mention_id')
    .leftJoin('authors as a', 'a.id', 'm.author_id')
    .select(COLUMNS)
    .where('mb.brand_id', '=', w.brandId)
    .where('mb.published_at', '>=', w.from)
    .where('mb.published_at', '<', w.to)
    .where('m.workspace_id', '=', workspaceId);
  if (w.negativeOnly) q = q.where('m.sentiment', '=', 'negative');
  const rows = await q.orderBy('mb.published_at', 'desc').limit(w.limit).execute();
  const out = rows.map(toWindowMention);
  return w.topic ? out.filter((m) => m.topics.includes(w.topic!)) : out;
}

/** Mentions by id (with author reach), for mention-level alerts. */
export async function getWindowMentionsByIds(db: RadarDb, ids: number[]): Promise<WindowMention[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('mentions as m')
    .leftJoin('authors as a', 'a.id', 'm.author_id')
    .select(COLUMNS)
    .where('m.id', 'in', ids)
    .execute();
  return rows.map(toWindowMention);
}

/** Brand names by id, for alert titles. */
export async function getBrandNames(db: RadarDb, workspaceId: number, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('brands').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
