/**
 * `mentions_parent_idx (workspace_id, parent_external_id)` finds the replies of a mention (the thread view). Most
 * mentions answer nothing, and their NULL entries were written for every stored mention without ever being read:
 * the index now holds replies only. A lookup `parent_external_id = ?` implies NOT NULL, so both databases use the
 * partial index for it.
 */
import { sql } from 'kysely';
import type { AnyDb } from './migration-helpers.ts';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('mentions_parent_idx').ifExists().execute();
  await db.schema.createIndex('mentions_parent_idx').on('mentions').columns(['workspace_id', 'parent_external_id']).where(sql.ref('parent_external_id'), 'is not', null).execute();
}
