/**
 * Fewer and smaller b-trees written per stored mention (decision 0006, "Fifth round"; measured with
 * bench/store.bench.ts at 1M mentions: −2.5 to −3.7 µs of CPU per mention, of which the commit's WAL writes 2–3).
 *
 * - `mention_brands` was a rowid table with four b-trees: the table, its primary key (brand_id, mention_id), the
 *   brand/time index and a mention_id index. It is now keyed by (mention_id, brand_id) — which also serves every
 *   lookup by mention — plus the brand/time index. On SQLite the table is WITHOUT ROWID, so the key is the table
 *   (two b-trees instead of four); on PostgreSQL the key changes order and the mention_id index, now a prefix of
 *   it, goes.
 * - `mentions_ws_published_idx` loses its explicit `id` on SQLite: every index of a rowid table already ends with
 *   the rowid, which orders and breaks ties the same way, so the column only stored each id twice (≈ 20 % of the
 *   index). PostgreSQL keeps it (its indexes have no implicit tie-breaker).
 */
import { sql } from 'kysely';
import type { DialectName } from '../connection.ts';
import type { AnyDb } from './migration-helpers.ts';

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`ALTER TABLE mention_brands DROP CONSTRAINT mention_brands_pk, ADD CONSTRAINT mention_brands_pk PRIMARY KEY (mention_id, brand_id)`.execute(db);
    await db.schema.dropIndex('mention_brands_mention_idx').ifExists().execute();
    return;
  }
  await sql`CREATE TABLE mention_brands_new (
    mention_id integer NOT NULL REFERENCES mentions (id) ON DELETE CASCADE,
    brand_id integer NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    published_at bigint NOT NULL,
    CONSTRAINT mention_brands_pk PRIMARY KEY (mention_id, brand_id)
  ) WITHOUT ROWID`.execute(db);
  await sql`INSERT INTO mention_brands_new (mention_id, brand_id, published_at) SELECT mention_id, brand_id, published_at FROM mention_brands ORDER BY mention_id, brand_id`.execute(db);
  await sql`DROP TABLE mention_brands`.execute(db);
  await sql`ALTER TABLE mention_brands_new RENAME TO mention_brands`.execute(db);
  await db.schema.createIndex('mention_brands_brand_time_idx').on('mention_brands').columns(['brand_id', 'published_at', 'mention_id']).execute();

  await db.schema.dropIndex('mentions_ws_published_idx').execute();
  await db.schema.createIndex('mentions_ws_published_idx').on('mentions').columns(['workspace_id', 'published_at']).execute();
}
