/**
 * Shared inbox: accounts (users, sessions, API tokens, audit log), people (one customer across channels),
 * cases (with their mentions, notes, replies and events), reply templates and per-workspace inbox settings
 * (intake rules, SLA policy, outgoing reply webhook) with the intake cursor.
 *
 * Times are epoch-ms BIGINT, booleans 0/1, structured values JSON text, as in 001-core.
 */
import type { DialectName } from '../connection.ts';
import { tableWithId, type AnyDb } from './migration-helpers.ts';

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  const id = tableWithId(db, dialect);
  await accounts(db, id);
  await people(db, id);
  await cases(db, id);
  await settings(db, id);
}

type IdTable = (t: string) => ReturnType<AnyDb['schema']['createTable']>;
const time = 'bigint';

async function accounts(db: AnyDb, id: IdTable): Promise<void> {
  await id('users')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('available', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_assigned_at', time, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['user_id']).execute();
  await id('api_tokens')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_used_at', time)
    .addColumn('revoked_at', time)
    .execute();
  await id('audit_log')
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'integer')
    .addColumn('subject', 'text')
    .addColumn('detail', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at', 'id']).execute();
}

async function people(db: AnyDb, id: IdTable): Promise<void> {
  await id('people')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  // One author (channel identity) belongs to exactly one person; `link` says how: auto-email, auto-new, manual.
  await db.schema
    .createTable('person_authors')
    .addColumn('author_id', 'integer', (c) => c.primaryKey().references('authors.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('identity_key', 'text')
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('linked_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_authors_person_idx').on('person_authors').columns(['person_id']).execute();
  await db.schema.createIndex('person_authors_key_idx').on('person_authors').columns(['workspace_id', 'identity_key']).execute();
}

async function cases(db: AnyDb, id: IdTable): Promise<void> {
  await id('cases')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('brand_id', 'integer', (c) => c.references('brands.id').onDelete('set null'))
    .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('priority', 'real', (c) => c.notNull())
    .addColumn('priority_factors', 'text', (c) => c.notNull())
    .addColumn('intents', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('repeat_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('opened_at', time, (c) => c.notNull())
    .addColumn('first_response_at', time)
    .addColumn('awaiting_since', time)
    .addColumn('last_customer_at', time, (c) => c.notNull())
    .addColumn('last_agent_at', time)
    .addColumn('pending_since', time)
    .addColumn('paused_ms', time, (c) => c.notNull().defaultTo(0))
    .addColumn('resolved_at', time)
    .addColumn('closed_at', time)
    .addColumn('sla_flags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('escalated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_ws_status_idx').on('cases').columns(['workspace_id', 'status', 'priority']).execute();
  await db.schema.createIndex('cases_person_idx').on('cases').columns(['person_id', 'opened_at']).execute();
  await db.schema
    .createTable('case_mentions')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('mention_id', 'integer', (c) => c.notNull().references('mentions.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('case_mentions_pk', ['case_id', 'mention_id'])
    .execute();
  await db.schema.createIndex('case_mentions_mention_idx').on('case_mentions').columns(['mention_id']).execute();
  await db.schema.createIndex('case_mentions_external_idx').on('case_mentions').columns(['external_id']).execute();
  await id('case_notes')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await id('case_replies')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('mention_id', 'integer', (c) => c.references('mentions.id').onDelete('set null'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('external_id', 'text')
    .addColumn('next_attempt_at', time)
    .addColumn('sent_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_replies_case_idx').on('case_replies').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('case_replies_external_idx').on('case_replies').columns(['external_id']).execute();
  await db.schema.createIndex('case_replies_retry_idx').on('case_replies').columns(['status', 'next_attempt_at']).execute();
  await id('case_events')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('case_events_case_idx').on('case_events').columns(['case_id', 'at']).execute();
}

async function settings(db: AnyDb, id: IdTable): Promise<void> {
  await db.schema
    .createTable('inbox_settings')
    .addColumn('workspace_id', 'integer', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('sla', 'text', (c) => c.notNull())
    .addColumn('reply_webhook', 'text')
    .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await id('reply_templates')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('variants', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('reply_templates_ws_name_uq', ['workspace_id', 'name'])
    .execute();
}
