/**
 * Who may do what. Every check is a named `can<Verb><Thing>` function over the acting principal, so a
 * rule lives in one place and a handler or service states which rule it applies.
 *
 * | role   | may |
 * |--------|-----|
 * | viewer | read everything |
 * | agent  | + work cases (status, assignee, tags, notes, replies), people merge/split, reply templates |
 * | admin  | + users, API tokens of others, intake rules, SLA policy, reply webhook, brands/sources/workspaces |
 */
import { AppError } from '../lib/errors.ts';
import type { Role } from '../inbox/inbox-tables.ts';

/** The acting party of a request: a signed-in user, an API token's owner, or nobody while auth is off. */
export interface Principal {
  kind: 'session' | 'token' | 'open' | 'system';
  userId: number | null;
  role: Role;
  /** For the audit log: e-mail, "token:<name> (<email>)", "anonymous (auth off)" or "system". */
  label: string;
  /** Session principals only: the token cookie-authenticated writes must echo in `x-csrf-token`. */
  csrfToken?: string;
}

/** Requests while authentication is off act as this principal (everything is allowed, and audited as anonymous). */
export const OPEN_PRINCIPAL: Principal = Object.freeze({ kind: 'open', userId: null, role: 'admin', label: 'anonymous (auth off)' });
/** Jobs (SLA escalation, intake, retries) act as this principal. */
export const SYSTEM_PRINCIPAL: Principal = Object.freeze({ kind: 'system', userId: null, role: 'admin', label: 'system' });

const isAgent = (p: Principal) => p.role === 'agent' || p.role === 'admin';
const isAdmin = (p: Principal) => p.role === 'admin';

export const canReadInbox = (_p: Principal) => true;
export const canReplyToCase = isAgent;
export const canUpdateCase = isAgent;
export const canNoteCase = isAgent;
export const canMergePeople = isAgent;
export const canManageTemplates = isAgent;
export const canManageInboxSettings = isAdmin;
export const canManageUsers = isAdmin;
export const canReadAudit = isAdmin;
/** Writes to the pre-inbox API (workspaces, brands, sources, dead letters) once authentication is on. */
export const canChangeConfiguration = isAdmin;
export const canManageTokensOf = (p: Principal, userId: number) => isAdmin(p) || p.userId === userId;

/** @throws AppError `forbidden` (403) naming what the role may not do. */
export function ensure(allowed: boolean, what: string): void {
  if (!allowed) throw new AppError('forbidden', `Your role may not ${what}`, 403);
}
