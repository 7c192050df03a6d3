/**
 * `mentions_author_idx (author_id)` is a prefix of `mentions_author_published_idx` (002): every lookup by author
 * can use the wider index, and one index fewer to maintain per stored mention speeds up ingest.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mentions_author_idx').ifExists().execute();
}
