/**
 * Row and domain types of agents' corrections and the per-workspace models (migration 006-corrections).
 * Kept beside the feature, as insights/ does for its roll-ups: `Database` here is the core schema plus these tables.
 */
import type { Generated, Selectable } from 'kysely';
import type { Database as CoreDatabase } from '../db/schema.ts';

export interface MentionCorrectionTable {
  id: Generated<number>;
  workspace_id: number;
  mention_id: number;
  /** The text (title + text) and language the correction was made on, kept for retraining. */
  text: string;
  lang: string | null;
  /** The corrected sentiment; null when only the topics were corrected. */
  sentiment: string | null;
  /** JSON array of corrected topics; null when only the sentiment was corrected. */
  topics: string | null;
  previous_sentiment: string | null;
  /** JSON array. */
  previous_topics: string;
  user_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface WorkspaceModelTable {
  workspace_id: number;
  /** JSON of a `WorkspaceModel` (src/enrich/adapt/workspace-model.ts). */
  model: string;
  /** How many corrections the model was trained on. */
  corrections: number;
  trained_at: number;
}

/** Hourly ('h') and daily ('d') roll-ups of `mention_counts` per dimension (migration 002). */
export interface RollupTable {
  brand_id: number;
  grain: string;
  bucket: number;
  dim: string;
  value: string;
  n: number;
}

export type Database = CoreDatabase & { mention_corrections: MentionCorrectionTable; workspace_models: WorkspaceModelTable; mention_rollups: RollupTable };
export type MentionCorrectionRow = Selectable<MentionCorrectionTable>;

/** A correction as the API shows it. */
export interface Correction {
  id: number;
  workspaceId: number;
  mentionId: number;
  sentiment: string | null;
  topics: string[] | null;
  previous: { sentiment: string | null; topics: string[] };
  userId: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Where a workspace's model stands. */
export interface WorkspaceModelStatus {
  workspaceId: number;
  /** null until the first retraining. */
  trainedAt: number | null;
  /** Corrections the current model learned from. */
  trainedOn: number;
  /** Corrections stored now (a retraining learns from all of them). */
  corrections: number;
  /** Corrections made or changed since the last retraining. */
  pending: number;
  examples: { sentiment: number; topics: number } | null;
}
