/**
 * Row types of the shared-inbox tables (migration 004), kept beside the feature instead of in `db/schema.ts`.
 * Repositories call `inboxDb(db)` to get a Kysely that knows both the core and these tables.
 */
import type { Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export type Role = 'admin' | 'agent' | 'viewer';
export type CaseStatus = 'open' | 'pending_customer' | 'resolved' | 'closed';
export type ReplyStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'recorded';

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  available: Generated<number>;
  disabled: Generated<number>;
  last_assigned_at: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: number;
  user_id: number | null;
  actor: string;
  action: string;
  workspace_id: number | null;
  subject: string | null;
  detail: string | null;
  ip: string | null;
}

export interface PersonTable {
  id: Generated<number>;
  workspace_id: number;
  display_name: string;
  created_at: number;
  updated_at: number;
}

export interface PersonAuthorTable {
  author_id: number;
  person_id: number;
  workspace_id: number;
  identity_key: string | null;
  link: 'auto-email' | 'auto-handle' | 'auto-new' | 'manual';
  linked_at: number;
  /** JSON: why the identity was linked (migration 007), e.g. the verified handle and who verified it. */
  link_detail: string | null;
}

export interface PersonHandleTable {
  id: Generated<number>;
  workspace_id: number;
  person_id: number;
  identity_key: string;
  channel: string;
  handle: string;
  verified_by: number | null;
  evidence: string | null;
  created_at: number;
}

export type NoticeDelivery = 'in_app' | 'email' | 'channel';
export type NoticeStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface InboxNoticeTable {
  id: Generated<number>;
  workspace_id: number;
  case_id: number;
  user_id: number | null;
  channel_id: number | null;
  kind: 'sla_warning' | 'sla_breached';
  objective: string;
  delivery: NoticeDelivery;
  /** E-mail address or channel name, for the record. */
  target: string | null;
  dedupe_key: string;
  /** JSON: the clock (dueAt, elapsedMs, targetMs) and the case subject at the time. */
  detail: string | null;
  status: NoticeStatus;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: number | null;
  created_at: number;
  sent_at: number | null;
  read_at: number | null;
}

export interface CaseTable {
  id: Generated<number>;
  workspace_id: number;
  brand_id: number | null;
  person_id: number | null;
  channel: string;
  subject: string;
  status: CaseStatus;
  assignee_id: number | null;
  priority: number;
  /** JSON: PriorityFactor[] (the explanation of the score). */
  priority_factors: string;
  /** JSON: intents seen on the case's mentions. */
  intents: string;
  tags: Generated<string>;
  repeat_count: Generated<number>;
  opened_at: number;
  first_response_at: number | null;
  /** Since when a customer message waits for an answer (null = the team spoke last). */
  awaiting_since: number | null;
  last_customer_at: number;
  last_agent_at: number | null;
  pending_since: number | null;
  /** Business milliseconds spent pending customer (the SLA clock was paused). */
  paused_ms: Generated<number>;
  resolved_at: number | null;
  closed_at: number | null;
  /** JSON: SLA warnings and breaches already announced, e.g. ["first_response:warning"]. */
  sla_flags: Generated<string>;
  escalated: Generated<number>;
  updated_at: number;
}

export interface CaseMentionTable {
  case_id: number;
  mention_id: number;
  external_id: string;
  at: number;
}

export interface CaseNoteTable {
  id: Generated<number>;
  case_id: number;
  user_id: number | null;
  text: string;
  created_at: number;
}

export interface CaseReplyTable {
  id: Generated<number>;
  case_id: number;
  user_id: number | null;
  mention_id: number | null;
  channel: string;
  text: string;
  status: ReplyStatus;
  attempts: Generated<number>;
  last_error: string | null;
  external_id: string | null;
  next_attempt_at: number | null;
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  at: number;
  kind: string;
  user_id: number | null;
  detail: string | null;
}

export interface InboxSettingsTable {
  workspace_id: number;
  rules: string;
  sla: string;
  reply_webhook: string | null;
  cursor: Generated<number>;
  updated_at: number;
}

export interface ReplyTemplateTable {
  id: Generated<number>;
  workspace_id: number;
  name: string;
  variants: string;
  created_at: number;
  updated_at: number;
}

export type InboxTables = {
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditTable;
  people: PersonTable;
  person_authors: PersonAuthorTable;
  cases: CaseTable;
  case_mentions: CaseMentionTable;
  case_notes: CaseNoteTable;
  case_replies: CaseReplyTable;
  case_events: CaseEventTable;
  inbox_settings: InboxSettingsTable;
  reply_templates: ReplyTemplateTable;
  person_handles: PersonHandleTable;
  inbox_notices: InboxNoticeTable;
};

export type InboxDatabase = Database & InboxTables;
export type InboxDb = Kysely<InboxDatabase>;
export type UserRow = Selectable<UserTable>;
export type CaseRow = Selectable<CaseTable>;
export type CaseReplyRow = Selectable<CaseReplyTable>;

/** The same connection (or transaction), typed to know the inbox tables too. */
export function inboxDb(db: Kysely<Database> | Transaction<Database> | InboxDb): InboxDb {
  return (db as Kysely<Database>).withTables<InboxTables>();
}
