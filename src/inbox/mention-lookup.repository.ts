/** Reads mentions by id for the inbox (case threads, person timelines), as domain Mentions. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toMention, type Mention } from '../mentions/mention.ts';

/** The mentions with these ids in this workspace, in the order of `ids`. */
export async function getMentionsByIds(db: Kysely<Database>, workspaceId: number, ids: number[]): Promise<Mention[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('mentions').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  const authorIds = [...new Set(rows.map((r) => r.author_id).filter((a): a is number => a !== null))];
  const [links, authors] = await Promise.all([
    db.selectFrom('mention_brands').select(['mention_id', 'brand_id']).where('mention_id', 'in', ids).execute(),
    authorIds.length ? db.selectFrom('authors').select(['id', 'handle', 'name', 'url', 'followers']).where('id', 'in', authorIds).execute() : Promise.resolve([]),
  ]);
  const authorById = new Map(authors.map((a) => [a.id, a]));
  const byId = new Map(rows.map((r) => [r.id, toMention(r, r.author_id !== null ? (authorById.get(r.author_id) ?? null) : null, links.filter((l) => l.mention_id === r.id).map((l) => l.brand_id))]));
  return ids.map((id) => byId.get(id)).filter((m): m is Mention => m !== undefined);
}
