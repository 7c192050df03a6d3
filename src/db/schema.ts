/**
 * Row types of every table, as Kysely sees them. Times are epoch milliseconds (integers in SQLite,
 * BIGINT in PostgreSQL, parsed back to numbers), booleans are 0/1 integers and structured values are
 * JSON text, so that one query code serves both dialects.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface WorkspaceTable {
  id: Generated<number>;
  name: string;
  created_at: number;
}

export interface BrandTable {
  id: Generated<number>;
  workspace_id: number;
  name: string;
  kind: 'own' | 'competitor';
  query: string;
  /** JSON array of ISO 639-1 codes; empty array = every language. */
  languages: string;
  created_at: number;
  updated_at: number;
}

export interface SourceTable {
  id: Generated<number>;
  workspace_id: number;
  kind: string;
  name: string;
  /** JSON object, validated by the source kind's schema. */
  config: string;
  /** Brand every item of this source belongs to (file import, webhook); null = match brand queries. */
  brand_id: number | null;
  enabled: number;
  cursor: string | null;
  status: 'idle' | 'ok' | 'error' | 'running' | 'finished';
  last_fetch_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  consecutive_failures: Generated<number>;
  next_fetch_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  items_stored: Generated<number>;
  items_filtered: Generated<number>;
  items_failed: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface SourceEventTable {
  id: Generated<number>;
  source_id: number;
  at: number;
  level: 'info' | 'error';
  message: string;
}

export interface AuthorTable {
  id: Generated<number>;
  workspace_id: number;
  channel: string;
  handle: string;
  name: string | null;
  url: string | null;
  followers: number | null;
  created_at: number;
  updated_at: number;
}

export interface MentionTable {
  id: Generated<number>;
  workspace_id: number;
  source_id: number;
  external_id: string;
  channel: string;
  url: string | null;
  title: string | null;
  text: string;
  author_id: number | null;
  published_at: number;
  ingested_at: number;
  lang: string | null;
  lang_confidence: number | null;
  sentiment: string | null;
  sentiment_score: number | null;
  likes: number | null;
  shares: number | null;
  replies: number | null;
  views: number | null;
  parent_external_id: string | null;
  near_hash: string | null;
  duplicate_of: number | null;
  duplicate_count: Generated<number>;
  /** JSON object with enrichment and source extras that have no column yet. */
  extra: string | null;
}

export interface MentionBrandTable {
  mention_id: number;
  brand_id: number;
  published_at: number;
}

/** Pre-aggregated counts per brand and 5-minute bucket, maintained as mentions are stored. */
export interface MentionCountTable {
  brand_id: number;
  bucket: number;
  sentiment: string;
  lang: string;
  source_id: number;
  n: number;
}

/**
 * Hourly and daily roll-up of `mention_counts` (migration 002-overview-rollups), written by the mention store in
 * the same transaction as the counts.
 */
export interface MentionRollupTable {
  brand_id: number;
  /** 'h' = hour, 'd' = UTC day. */
  grain: 'h' | 'd';
  /** Start of the hour or day, epoch ms. */
  bucket: number;
  dim: 'all' | 'sentiment' | 'lang' | 'source';
  /** '' for dim 'all'; sentiment label or language code ('' = none); source id as text. */
  value: string;
  n: number;
}

export interface DeadLetterTable {
  id: Generated<number>;
  workspace_id: number;
  source_id: number | null;
  external_id: string | null;
  stage: string;
  error: string;
  /** JSON of the item as the source gave it (or the raw text that could not be parsed). */
  payload: string;
  status: 'pending' | 'retried' | 'discarded';
  attempts: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface WebhookReceiptTable {
  source_id: number;
  message_id: string;
  received_at: number;
}

export interface Database {
  workspaces: WorkspaceTable;
  brands: BrandTable;
  sources: SourceTable;
  source_events: SourceEventTable;
  authors: AuthorTable;
  mentions: MentionTable;
  mention_brands: MentionBrandTable;
  mention_counts: MentionCountTable;
  mention_rollups: MentionRollupTable;
  dead_letters: DeadLetterTable;
  webhook_receipts: WebhookReceiptTable;
}

export type WorkspaceRow = Selectable<WorkspaceTable>;
export type BrandRow = Selectable<BrandTable>;
export type InsertableBrandRow = Insertable<BrandTable>;
export type SourceRow = Selectable<SourceTable>;
export type SourceUpdate = Updateable<SourceTable>;
export type AuthorRow = Selectable<AuthorTable>;
export type MentionRow = Selectable<MentionTable>;
export type InsertableMentionRow = Insertable<MentionTable>;
export type DeadLetterRow = Selectable<DeadLetterTable>;
