/**
 * Agents' corrections of a mention's sentiment or topics, and the per-workspace models retrained from them
 * (src/corrections/, src/enrich/adapt/). A correction keeps a copy of the text and language it was made on,
 * so a workspace can still retrain after retention removed the mention; one correction per mention (the
 * latest wins). Times are epoch-ms BIGINT, structured values JSON text, as in 001-core.
 */
import type { DialectName } from '../connection.ts';
import { tableWithId, type AnyDb } from './migration-helpers.ts';

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  const time = 'bigint';
  await tableWithId(db, dialect)('mention_corrections')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('mention_id', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('lang', 'text')
    .addColumn('sentiment', 'text')
    .addColumn('topics', 'text')
    .addColumn('previous_sentiment', 'text')
    .addColumn('previous_topics', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('user_id', 'integer')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('mention_corrections_mention_uq', ['workspace_id', 'mention_id'])
    .execute();
  await db.schema.createIndex('mention_corrections_ws_updated_idx').on('mention_corrections').columns(['workspace_id', 'updated_at']).execute();

  await db.schema
    .createTable('workspace_models')
    .addColumn('workspace_id', 'integer', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('corrections', 'integer', (c) => c.notNull())
    .addColumn('trained_at', time, (c) => c.notNull())
    .execute();
}
