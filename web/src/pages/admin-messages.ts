/**
 * The admin pages' texts in English and German (beside the pages, like the inbox's; the shared catalogs hold
 * the navigation label), and the calls they make to the accounts API.
 */
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';

const en = {
  'admin.title': 'Administration', 'admin.users': 'Users', 'admin.tokens': 'API tokens', 'admin.audit': 'Audit log',
  'admin.forbidden': 'Only admins can manage users, API tokens and the audit log.',
  'users.name': 'Name', 'users.email': 'E-mail', 'users.role': 'Role', 'users.status': 'Status', 'users.active': 'Active', 'users.deactivated': 'Deactivated',
  'users.deactivate': 'Deactivate', 'users.reactivate': 'Reactivate', 'users.add': 'Add user', 'users.password': 'Initial password (at least 10 characters)',
  'users.addHint': 'Give the new user their e-mail address and initial password; they can change the password after signing in.', 'users.you': 'you',
  'role.admin': 'Admin', 'role.agent': 'Agent', 'role.viewer': 'Viewer',
  'tokens.name': 'Name', 'tokens.owner': 'Owner', 'tokens.prefix': 'Prefix', 'tokens.created': 'Created', 'tokens.lastUsed': 'Last used', 'tokens.state': 'State',
  'tokens.revoked': 'Revoked', 'tokens.valid': 'Valid', 'tokens.never': 'never', 'tokens.revoke': 'Revoke', 'tokens.create': 'Create token',
  'tokens.once': 'Copy this token now: it is shown only once.', 'tokens.dismiss': 'Done', 'tokens.empty': 'No API tokens yet',
  'audit.when': 'When', 'audit.who': 'Who', 'audit.action': 'Action', 'audit.subject': 'Subject', 'audit.ip': 'IP', 'audit.user': 'User', 'audit.anyone': 'Anyone',
  'audit.actionFilter': 'Action contains', 'audit.from': 'From', 'audit.to': 'Until', 'audit.workspace': 'This workspace only', 'audit.older': 'Older entries', 'audit.empty': 'No entries match',
};
type Key = keyof typeof en;
const de: Record<Key, string> = {
  'admin.title': 'Verwaltung', 'admin.users': 'Benutzer', 'admin.tokens': 'API-Tokens', 'admin.audit': 'Protokoll',
  'admin.forbidden': 'Nur Admins verwalten Benutzer, API-Tokens und das Protokoll.',
  'users.name': 'Name', 'users.email': 'E-Mail', 'users.role': 'Rolle', 'users.status': 'Status', 'users.active': 'Aktiv', 'users.deactivated': 'Deaktiviert',
  'users.deactivate': 'Deaktivieren', 'users.reactivate': 'Reaktivieren', 'users.add': 'Benutzer anlegen', 'users.password': 'Erstes Passwort (mindestens 10 Zeichen)',
  'users.addHint': 'Teilen Sie der Person E-Mail-Adresse und erstes Passwort mit; nach der Anmeldung kann sie es ändern.', 'users.you': 'Sie',
  'role.admin': 'Admin', 'role.agent': 'Bearbeiter', 'role.viewer': 'Leser',
  'tokens.name': 'Name', 'tokens.owner': 'Inhaber', 'tokens.prefix': 'Präfix', 'tokens.created': 'Erstellt', 'tokens.lastUsed': 'Zuletzt benutzt', 'tokens.state': 'Zustand',
  'tokens.revoked': 'Widerrufen', 'tokens.valid': 'Gültig', 'tokens.never': 'nie', 'tokens.revoke': 'Widerrufen', 'tokens.create': 'Token erstellen',
  'tokens.once': 'Kopieren Sie dieses Token jetzt: Es wird nur einmal angezeigt.', 'tokens.dismiss': 'Fertig', 'tokens.empty': 'Noch keine API-Tokens',
  'audit.when': 'Wann', 'audit.who': 'Wer', 'audit.action': 'Aktion', 'audit.subject': 'Betrifft', 'audit.ip': 'IP', 'audit.user': 'Benutzer', 'audit.anyone': 'Alle',
  'audit.actionFilter': 'Aktion enthält', 'audit.from': 'Von', 'audit.to': 'Bis', 'audit.workspace': 'Nur dieser Arbeitsbereich', 'audit.older': 'Ältere Einträge', 'audit.empty': 'Keine passenden Einträge',
};

export type AdminKey = Key;

export function useAdminText(): (key: Key) => string {
  const { locale } = useI18n();
  const catalog = locale === 'de' ? de : en;
  return (key) => catalog[key];
}

export type Role = 'admin' | 'agent' | 'viewer';
export interface User { id: number; email: string; name: string; role: Role; available: boolean; disabled: boolean; createdAt: number }
export interface ApiToken { id: number; userId: number; name: string; prefix: string; createdAt: number; lastUsedAt: number | null; revokedAt: number | null }
export interface AuditEntry { id: number; at: number; userId: number | null; actor: string; action: string; workspaceId: number | null; subject: string | null; ip: string | null }
export interface AuditFilter { userId?: number; action?: string; from?: number; to?: number; workspaceId?: number; before?: number }

export const adminApi = {
  me: (s?: AbortSignal) => api.get<{ user: User | null; authRequired: boolean }>('/auth/me', {}, s),
  users: (s?: AbortSignal) => api.get<{ items: User[] }>('/users', {}, s),
  addUser: (body: { name: string; email: string; role: Role; password: string }) => api.post<User>('/users', body),
  changeUser: (id: number, body: { role?: Role; disabled?: boolean }) => api.patch<User>(`/users/${id}`, body),
  tokens: (s?: AbortSignal) => api.get<{ items: ApiToken[] }>('/tokens', {}, s),
  createToken: (body: { name: string; userId?: number }) => api.post<{ token: string; record: ApiToken }>('/tokens', body),
  revokeToken: (id: number) => api.del(`/tokens/${id}`),
  audit: (f: AuditFilter, s?: AbortSignal) => api.get<{ items: AuditEntry[] }>('/audit', { ...f, limit: 100 }, s),
};
