/**
 * Top authors for the Overview: the one aggregate the count tables cannot answer. (Volume, sentiment,
 * language, source and share of voice come from overview.repository.ts.) Same SQL on SQLite and PostgreSQL.
 */
import type { AuthorSummary } from '../mentions/mention.ts';
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
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

export interface TopAuthor extends AuthorSummary {
  /** Mentions by this author in the range (originals only). */
  mentions: number;
  /** Sum of likes + shares + replies over those mentions (null metrics count as 0). */
  engagement: number;
}

type Q = SelectQueryBuilder<Database & { m: Database['mentions'] }, 'm', object>;

/** `byAuthor`: the caller fixes one author (of this workspace), so the workspace condition is left out. */
function applyInsightFilter(q: Q, workspaceId: number, f: InsightFilter, o: { byAuthor?: boolean } = {}): Q {
  if (!o.byAuthor) q = q.where('m.workspace_id', '=', workspaceId);
  q = q.where('m.published_at', '>=', f.from).where('m.published_at', '<', f.to).where('m.duplicate_of', 'is', null);
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
 * Authors with the most reach in the range: those with a known follower count first, by followers (then
 * mentions), then — only if that leaves places free — authors with unknown followers, by mentions.
 *
 * Fast at volume: the first part walks authors in follower order (index on workspace + followers) and probes
 * each one's mentions in the range (index on author + time), stopping after `limit` hits; it never groups
 * the range's mentions. The fallback groups the range's mentions by author and is as slow as the range is
 * large, so it only runs when too few authors have follower counts (channels that do not report them).
 */
export async function findTopAuthors(db: Kysely<Database>, workspaceId: number, f: InsightFilter, limit: number): Promise<TopAuthor[]> {
  // Correlated on the outer author row; the cast gives the subquery the mention filter's type.
  const inRange = (eb: ExpressionBuilder<Database & { a: Database['authors'] }, 'a'>) =>
    eb.exists(applyInsightFilter(eb.selectFrom('mentions as m') as unknown as Q, workspaceId, f, { byAuthor: true }).select('m.id').where('m.author_id', '=', sql.ref<number>('a.id')));
  const known = await db
    .selectFrom('authors as a')
    .select('a.id')
    .where('a.workspace_id', '=', workspaceId)
    .where('a.followers', 'is not', null)
    .where(inRange)
    .orderBy('a.followers', 'desc')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  let ids = known.map((r) => r.id);
  if (ids.length < limit) ids = [...ids, ...(await mostActiveUnknown(db, workspaceId, f, limit - ids.length))];
  return describeAuthors(db, workspaceId, f, ids);
}

/** Authors without a follower count, by mentions in the range. */
async function mostActiveUnknown(db: Kysely<Database>, workspaceId: number, f: InsightFilter, limit: number): Promise<number[]> {
  const rows = await applyInsightFilter(db.selectFrom('mentions as m') as unknown as Q, workspaceId, f)
    .innerJoin('authors as a', 'a.id', 'm.author_id')
    .where('a.followers', 'is', null)
    .select(['a.id', sql<number>`count(*)`.as('n')])
    .groupBy('a.id')
    .orderBy('n', 'desc')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The authors with their mention count and engagement in the range, ranked. */
async function describeAuthors(db: Kysely<Database>, workspaceId: number, f: InsightFilter, ids: number[]): Promise<TopAuthor[]> {
  if (!ids.length) return [];
  // One small query per author, so each reads that author's mentions in the range through the author index
  // (an IN list lets the planner prefer the workspace/time index and read the whole range instead).
  const rows = await Promise.all(ids.map((id) =>
    applyInsightFilter(db.selectFrom('mentions as m') as unknown as Q, workspaceId, f, { byAuthor: true })
      .innerJoin('authors as a', 'a.id', 'm.author_id')
      .where('m.author_id', '=', id)
      .select([
        'a.id', 'a.channel', 'a.handle', 'a.name', 'a.url', 'a.followers',
        sql<number>`count(*)`.as('n'),
        sql<number>`sum(coalesce(m.likes, 0) + coalesce(m.shares, 0) + coalesce(m.replies, 0))`.as('engagement'),
      ])
      .groupBy(['a.id', 'a.channel', 'a.handle', 'a.name', 'a.url', 'a.followers'])
      .executeTakeFirst()));
  const authors = rows.filter((r) => r !== undefined).map((r) => ({
    authorId: r.id,
    channel: r.channel,
    handle: r.handle,
    name: r.name,
    url: r.url,
    followers: r.followers === null ? null : Number(r.followers),
    mentions: Number(r.n),
    engagement: Number(r.engagement ?? 0),
  }));
  return authors.sort((a, b) => (b.followers ?? -1) - (a.followers ?? -1) || b.mentions - a.mentions || b.engagement - a.engagement || a.authorId - b.authorId);
}
