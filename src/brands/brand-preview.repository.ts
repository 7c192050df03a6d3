/** Reads for the brand-query preview: the most recent stored mentions of a workspace, and their brand links. */
import type { Kysely } from 'kysely';
import type { Database, MentionRow } from '../db/schema.ts';
import type { MentionAuthor } from '../mentions/mention.ts';

/** The newest `limit` original mentions (near-duplicates left out), newest first. */
export async function listRecentMentionRows(db: Kysely<Database>, workspaceId: number, limit: number): Promise<MentionRow[]> {
  return db
    .selectFrom('mentions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('duplicate_of', 'is', null)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Authors and brand ids of a few mentions, for showing them. */
export async function findAuthorsAndBrands(db: Kysely<Database>, rows: MentionRow[]): Promise<{ authors: Map<number, MentionAuthor>; brands: Map<number, number[]> }> {
  const ids = rows.map((r) => r.id);
  const authorIds = [...new Set(rows.map((r) => r.author_id).filter((a): a is number => a !== null))];
  const [links, authors] = await Promise.all([
    ids.length ? db.selectFrom('mention_brands').select(['mention_id', 'brand_id']).where('mention_id', 'in', ids).execute() : Promise.resolve([]),
    authorIds.length ? db.selectFrom('authors').select(['id', 'handle', 'name', 'url', 'followers']).where('id', 'in', authorIds).execute() : Promise.resolve([]),
  ]);
  const brands = new Map<number, number[]>();
  for (const l of links) brands.set(l.mention_id, [...(brands.get(l.mention_id) ?? []), l.brand_id]);
  return { authors: new Map(authors.map((a) => [a.id, a])), brands };
}
