/**
 * Core schema: workspaces, brands, sources, authors, mentions (+ full-text index), per-brand counts,
 * dead letters and webhook receipts. Where SQLite and PostgreSQL differ (ids, full-text search) both
 * versions stand side by side.
 */
import { sql } from 'kysely';
import type { DialectName } from '../connection.ts';
import { tableWithId, type AnyDb } from './migration-helpers.ts';

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  const id = tableWithId(db, dialect);
  const time = 'bigint';

  await id('workspaces').addColumn('name', 'text', (c) => c.notNull()).addColumn('created_at', time, (c) => c.notNull()).execute();

  await id('brands')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('brands_workspace_name_uq', ['workspace_id', 'name'])
    .execute();

  await id('sources')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('brand_id', 'integer', (c) => c.references('brands.id').onDelete('set null'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('cursor', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('idle'))
    .addColumn('last_fetch_at', time)
    .addColumn('last_success_at', time)
    .addColumn('last_error', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_fetch_at', time, (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', time)
    .addColumn('items_stored', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_filtered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('sources_workspace_name_uq', ['workspace_id', 'name'])
    .execute();

  await id('source_events')
    .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('source_events_source_at_idx').on('source_events').columns(['source_id', 'at']).execute();

  await id('authors')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('url', 'text')
    .addColumn('followers', 'integer')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('authors_identity_uq', ['workspace_id', 'channel', 'handle'])
    .execute();

  await id('mentions')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('title', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('authors.id').onDelete('set null'))
    .addColumn('published_at', time, (c) => c.notNull())
    .addColumn('ingested_at', time, (c) => c.notNull())
    .addColumn('lang', 'text')
    .addColumn('lang_confidence', 'real')
    .addColumn('sentiment', 'text')
    .addColumn('sentiment_score', 'real')
    .addColumn('likes', 'integer')
    .addColumn('shares', 'integer')
    .addColumn('replies', 'integer')
    .addColumn('views', 'integer')
    .addColumn('parent_external_id', 'text')
    .addColumn('near_hash', 'text')
    .addColumn('duplicate_of', 'integer')
    .addColumn('duplicate_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extra', 'text')
    .addUniqueConstraint('mentions_source_external_uq', ['source_id', 'external_id'])
    .execute();
  await db.schema.createIndex('mentions_ws_published_idx').on('mentions').columns(['workspace_id', 'published_at', 'id']).execute();
  await db.schema.createIndex('mentions_ws_near_hash_idx').on('mentions').columns(['workspace_id', 'near_hash']).execute();
  await db.schema.createIndex('mentions_author_idx').on('mentions').columns(['author_id']).execute();
  await db.schema.createIndex('mentions_parent_idx').on('mentions').columns(['workspace_id', 'parent_external_id']).execute();

  await db.schema
    .createTable('mention_brands')
    .addColumn('mention_id', 'integer', (c) => c.notNull().references('mentions.id').onDelete('cascade'))
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('published_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('mention_brands_pk', ['brand_id', 'mention_id'])
    .execute();
  await db.schema.createIndex('mention_brands_brand_time_idx').on('mention_brands').columns(['brand_id', 'published_at', 'mention_id']).execute();
  await db.schema.createIndex('mention_brands_mention_idx').on('mention_brands').columns(['mention_id']).execute();

  await db.schema
    .createTable('mention_counts')
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('bucket', time, (c) => c.notNull())
    .addColumn('sentiment', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('mention_counts_pk', ['brand_id', 'bucket', 'sentiment', 'lang', 'source_id'])
    .execute();

  await id('dead_letters')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('source_id', 'integer', (c) => c.references('sources.id').onDelete('set null'))
    .addColumn('external_id', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dead_letters_ws_status_idx').on('dead_letters').columns(['workspace_id', 'status', 'id']).execute();

  await db.schema
    .createTable('webhook_receipts')
    .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_receipts_pk', ['source_id', 'message_id'])
    .execute();

  await createFullText(db, dialect);
}

/** Full-text search over title + text: FTS5 (external content, kept in step by triggers) or a tsvector. */
async function createFullText(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') {
    // detail=column: search is "all these words", never phrases, so token positions are not stored;
    // that makes indexing about 40 % faster (measured in bench/ingest.bench.ts).
    await sql`CREATE VIRTUAL TABLE mentions_fts USING fts5(title, text, content='mentions', content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail='column')`.execute(db);
    await sql`CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN
      INSERT INTO mentions_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END`.execute(db);
    await sql`CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN
      INSERT INTO mentions_fts(mentions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END`.execute(db);
    await sql`CREATE TRIGGER mentions_fts_au AFTER UPDATE OF title, text ON mentions BEGIN
      INSERT INTO mentions_fts(mentions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
      INSERT INTO mentions_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END`.execute(db);
  } else {
    await sql`ALTER TABLE mentions ADD COLUMN search tsvector
      GENERATED ALWAYS AS (to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED`.execute(db);
    await sql`CREATE INDEX mentions_search_idx ON mentions USING gin (search)`.execute(db);
  }
}
