/**
 * Shared inbox, part 2:
 * - `inbox_notices`: SLA warnings and escalations for people and channels. One row per recipient and
 *   delivery (in-app, e-mail, alert channel); the unique `dedupe_key` (case, SLA flag, recipient, delivery)
 *   makes each notice happen once even when several processes run the SLA watch. E-mail and channel rows are
 *   an outbox: queued in the SLA watch's transaction and sent after commit.
 * - `person_handles`: handles verified as belonging to a person (by an agent, or by the channel itself); a
 *   new author with that handle joins the person automatically.
 * - `person_authors.link_detail`: why an identity was linked (JSON), shown in the UI.
 */
import type { DialectName } from '../connection.ts';
import { tableWithId, type AnyDb } from './migration-helpers.ts';

const time = 'bigint';

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  const id = tableWithId(db, dialect);
  await id('inbox_notices')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('channel_id', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('objective', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('detail', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('sent_at', time)
    .addColumn('read_at', time)
    .execute();
  await db.schema.createIndex('inbox_notices_user_idx').on('inbox_notices').columns(['user_id', 'delivery', 'id']).execute();
  await db.schema.createIndex('inbox_notices_due_idx').on('inbox_notices').columns(['status', 'next_attempt_at']).execute();

  await id('person_handles')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('identity_key', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('verified_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('evidence', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addUniqueConstraint('person_handles_key_unique', ['workspace_id', 'identity_key'])
    .execute();
  await db.schema.createIndex('person_handles_person_idx').on('person_handles').columns(['person_id']).execute();

  await db.schema.alterTable('person_authors').addColumn('link_detail', 'text').execute();
}
