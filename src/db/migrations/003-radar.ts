/**
 * Crisis radar: per-stream detector state and points, alert rules, alerts, notification channels and the
 * delivery outbox.
 *
 * - `radar_streams`: one row per brand × kind ('volume' | 'negative' | 'topic', topic '' unless 'topic'),
 *   with the detector's JSON state, the open 5-minute bucket and its running count. `version` makes
 *   updates conditional, so two processes never both advance a stream from the same state.
 * - `radar_points`: the stream's closed buckets (count, score, expected value and band) and the open one
 *   (provisional), for charts and explanations.
 * - `alert_rules`: one row per workspace × rule kind (severity, cool-down, threshold, mute).
 * - `alerts`: one row per incident; `dedupe_key` names the subject (a stream, a mention, an author).
 * - `alert_channels` + `alert_deliveries`: where alerts are sent and the outbox of what is to be sent,
 *   written in the alert's transaction and delivered after commit, each attempt recorded.
 */
import type { DialectName } from '../connection.ts';
import { tableWithId, type AnyDb } from './migration-helpers.ts';

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  const id = tableWithId(db, dialect);
  const time = 'bigint';

  await id('radar_streams')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('open_bucket', time, (c) => c.notNull().defaultTo(0))
    .addColumn('open_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text')
    .addColumn('last_score', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('radar_streams_subject_uq', ['brand_id', 'kind', 'topic'])
    .execute();
  await db.schema.createIndex('radar_streams_ws_idx').on('radar_streams').columns(['workspace_id', 'brand_id']).execute();
  await db.schema.createIndex('radar_streams_open_idx').on('radar_streams').columns(['open_bucket']).execute();

  await db.schema
    .createTable('radar_points')
    .addColumn('stream_id', 'integer', (c) => c.notNull().references('radar_streams.id').onDelete('cascade'))
    .addColumn('bucket', time, (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('expected', 'real')
    .addColumn('lo', 'real')
    .addColumn('hi', 'real')
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('radar_points_pk', ['stream_id', 'bucket'])
    .execute();

  await id('alert_rules')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('cooldown_ms', time, (c) => c.notNull())
    .addColumn('threshold', 'real', (c) => c.notNull())
    .addColumn('muted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('muted_until', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('alert_rules_ws_kind_uq', ['workspace_id', 'kind'])
    .execute();

  await id('alerts')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('rule_id', 'integer', (c) => c.notNull().references('alert_rules.id').onDelete('cascade'))
    .addColumn('rule_kind', 'text', (c) => c.notNull())
    .addColumn('brand_id', 'integer', (c) => c.references('brands.id').onDelete('cascade'))
    .addColumn('stream_id', 'integer', (c) => c.references('radar_streams.id').onDelete('set null'))
    .addColumn('mention_id', 'integer', (c) => c.references('mentions.id').onDelete('set null'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('peak_score', 'real', (c) => c.notNull())
    .addColumn('observed', 'real', (c) => c.notNull())
    .addColumn('expected', 'real')
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('started_at', time, (c) => c.notNull())
    .addColumn('last_seen_at', time, (c) => c.notNull())
    .addColumn('updates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notified_observed', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('acknowledged_at', time)
    .addColumn('resolved_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_ws_id_idx').on('alerts').columns(['workspace_id', 'id']).execute();
  await db.schema.createIndex('alerts_ws_key_idx').on('alerts').columns(['workspace_id', 'dedupe_key', 'last_seen_at']).execute();
  await db.schema.createIndex('alerts_stream_idx').on('alerts').columns(['stream_id', 'started_at']).execute();

  await id('alert_channels')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('min_severity', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', time, (c) => c.notNull())
    .addUniqueConstraint('alert_channels_ws_name_uq', ['workspace_id', 'name'])
    .execute();

  await id('alert_deliveries')
    .addColumn('alert_id', 'integer', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('channel_id', 'integer', (c) => c.notNull().references('alert_channels.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    .addColumn('lease_until', time)
    .addColumn('log', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('sent_at', time)
    .execute();
  await db.schema.createIndex('alert_deliveries_due_idx').on('alert_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('alert_deliveries_alert_idx').on('alert_deliveries').columns(['alert_id']).execute();
}
