/**
 * Read-only aggregates for the Overview page that the pre-aggregated `mention_counts` table cannot answer:
 * top authors. (Volume, sentiment, language, source and share of voice come from `mention_counts` through
 * the counts endpoint.) Same SQL on SQLite and PostgreSQL.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Which stored mentions an aggregate covers. Near-duplicates are never counted. */
export interface InsightFilter {
  from: number;
  to: number;
  brandId?: number;
  sourceId?: number;
  lang?: string;
  sentiment?: 'negative' | 'neutral' | 'positive' | 'none';
}

export interface TopAuthor {
  authorId: number;
  channel: string;
  handle: string;
  name: string | null;
  url: string | null;
  followers: number | null;
  /** Mentions by this author in the range (originals only). */
  mentions: number;
  /** Sum of likes + shares + replies over those mentions (null metrics count as 0). */
  engagement: number;
}

type Q = SelectQueryBuilder<Database & { m: Database['mentions'] }, 'm', object>;

function applyInsightFilter(q: Q, workspaceId: number, f: InsightFilter): Q {
  q = q.where('m.workspace_id', '=', workspaceId).where('m.published_at', '>=', f.from).where('m.published_at', '<', f.to).where('m.duplicate_of', 'is', null);
  if (f.brandId !== undefined) {
    const brandId = f.brandId;
    q = q.where((eb) => eb.exists(eb.selectFrom('mention_brands as mb').select('mb.mention_id').whereRef('mb.mention_id', '=', 'm.id').where('mb.brand_id', '=', brandId)));
  }
  if (f.sourceId !== undefined) q = q.where('m.source_id', '=', f.sourceId);
  if (f.lang) q = q.where('m.lang', '=', f.lang);
  if (f.sentiment) q = f.sentiment === 'none' ? q.where('m.sentiment', 'is', null) : q.where('m.sentiment', '=', f.sentiment);
  return q;
}

/**
 * Authors with the most reach in the range: ordered by followers (unknown counts last), then by how often
 * they mentioned the workspace's brands, then by engagement.
 */
export async function findTopAuthors(db: Kysely<Database>, workspaceId: number, f: InsightFilter, limit: number): Promise<TopAuthor[]> {
  const perAuthor = applyInsightFilter(db.selectFrom('mentions as m') as unknown as Q, workspaceId, f)
    .where('m.author_id', 'is not', null)
    .select([
      'm.author_id as author_id',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(coalesce(m.likes, 0) + coalesce(m.shares, 0) + coalesce(m.replies, 0))`.as('engagement'),
    ])
    .groupBy('m.author_id');
  const rows = await db
    .selectFrom(perAuthor.as('pa'))
    .innerJoin('authors as a', 'a.id', 'pa.author_id')
    .select(['a.id', 'a.channel', 'a.handle', 'a.name', 'a.url', 'a.followers', 'pa.n', 'pa.engagement'])
    .orderBy(sql`coalesce(a.followers, -1)`, 'desc')
    .orderBy('pa.n', 'desc')
    .orderBy('pa.engagement', 'desc')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    authorId: r.id,
    channel: r.channel,
    handle: r.handle,
    name: r.name,
    url: r.url,
    followers: r.followers === null ? null : Number(r.followers),
    mentions: Number(r.n),
    engagement: Number(r.engagement ?? 0),
  }));
}
