/**
 * The mention store now writes the full-text index and the hourly/daily roll-ups itself, in the batch's
 * transaction (src/mentions/mention-store.repository.ts): the SQLite FTS insert trigger and the roll-up
 * triggers of 002 go. Measured on a 100,000-mention import: the trigger-fed FTS5 index cost 40 µs per mention
 * (FTS5 flushes a segment at every trigger savepoint) and the roll-up triggers 8 upserts per counts row, where
 * the store adds a batch's roll-ups already summed (docs/decisions/0006-ingest-write-path.md).
 * The delete and update triggers of the FTS index stay: they fire rarely and keep every other writer correct.
 */
import { sql } from 'kysely';
import type { DialectName } from '../connection.ts';
import type { AnyDb } from './migration-helpers.ts';

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') {
    for (const t of ['mentions_fts_ai', 'mention_counts_rollup_ai', 'mention_counts_rollup_au', 'mention_counts_rollup_ad']) await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
  } else {
    await sql`DROP TRIGGER IF EXISTS mention_counts_rollup ON mention_counts`.execute(db);
    await sql`DROP FUNCTION IF EXISTS mention_counts_rollup()`.execute(db);
  }
}
