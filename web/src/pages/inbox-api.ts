/** Types and calls of the shared-inbox API (cases, replies, people, metrics), over the dashboard's `api`. */
import { api, type Mention } from '../api.ts';

export type CaseStatus = 'open' | 'pending_customer' | 'resolved' | 'closed';
export interface SlaClock { objective: 'first_response' | 'next_response' | 'resolution'; state: 'ok' | 'warning' | 'breached' | 'paused' | 'met' | 'missed'; dueAt: number | null; elapsedMs: number; targetMs: number }
export interface CaseSummary {
  id: number; brandId: number | null; personId: number | null; channel: string; subject: string; status: CaseStatus; assigneeId: number | null;
  priority: number; priorityFactors: { name: string; value: number; because: string }[]; intents: string[]; tags: string[]; repeatCount: number;
  openedAt: number; firstResponseAt: number | null; escalated: boolean; sla: SlaClock[];
}
export interface CaseReply { id: number; userId: number | null; text: string; status: 'queued' | 'sending' | 'sent' | 'failed' | 'recorded'; attempts: number; lastError: string | null; sentAt: number | null; createdAt: number; nextAttemptAt: number | null }
export interface CaseView extends CaseSummary {
  mentions: Mention[];
  replies: CaseReply[];
  notes: { id: number; userId: number | null; text: string; createdAt: number }[];
  events: { id: number; at: number; kind: string; userId: number | null; detail: Record<string, unknown> | null }[];
  notices: CaseNotice[];
}
export type NoticeReason = 'assignee' | 'admin' | 'admin-unassigned' | 'escalation-user' | 'alert-channel';
/** Who was told about an SLA warning or breach of the case, how, and whether it went out. */
export interface CaseNotice { id: number; userId: number | null; kind: 'sla_warning' | 'sla_breached'; objective: SlaClock['objective']; delivery: 'in_app' | 'email' | 'channel'; target: string | null; status: 'pending' | 'sending' | 'sent' | 'failed'; lastError: string | null; detail: { because: NoticeReason }; createdAt: number }
export interface User { id: number; email: string; name: string; role: 'admin' | 'agent' | 'viewer'; available: boolean; disabled: boolean }
export interface Me { user: User | null; authRequired: boolean }
export interface Template { id: number; name: string; variants: Record<string, string> }
export type LinkDetail =
  | { rule: 'email'; address: string }
  | { rule: 'verified-handle'; channel: string; handle: string; verifiedBy: string | null; evidence: string | null; verifiedAt: number }
  | { rule: 'atproto-did'; did: string };
export interface VerifiedHandle { id: number; channel: string; handle: string; verifiedBy: { id: number; name: string } | null; evidence: string | null; createdAt: number }
export interface Notice { id: number; caseId: number; workspaceId: number; kind: 'sla_warning' | 'sla_breached'; objective: SlaClock['objective']; subject: string; text: string; detail: { dueAt: number | null; because: NoticeReason }; createdAt: number; readAt: number | null }
export interface Person {
  id: number; displayName: string; handles: VerifiedHandle[];
  identities: { authorId: number; channel: string; handle: string; name: string | null; followers: number | null; link: string; linkDetail: LinkDetail | null }[];
  cases: CaseSummary[]; mentions: Mention[]; repeatComplainer: string | null; churnRisk: { level: 'low' | 'medium' | 'high'; score: number; reasons: string[] };
}
export interface Distribution { n: number; medianMs: number | null; p90Ms: number | null }
export interface Metrics { cases: number; answered: number; answeredRate: number | null; firstResponse: Distribution; resolution: Distribution; sla: Record<'first_response' | 'resolution', { met: number; decided: number; attainment: number | null }> }

const ws = (id: number) => `/workspaces/${id}`;

export const inboxApi = {
  me: (s?: AbortSignal) => api.get<Me>('/auth/me', {}, s),
  users: (s?: AbortSignal) => api.get<{ items: User[] }>('/users', {}, s),
  queue: (w: number, q: { status: string; assignee?: string }, s?: AbortSignal) => api.get<{ items: CaseSummary[] }>(`${ws(w)}/cases`, q, s),
  case: (w: number, id: number, s?: AbortSignal) => api.get<CaseView>(`${ws(w)}/cases/${id}`, {}, s),
  change: (w: number, id: number, body: { status?: CaseStatus; assigneeId?: number | null | 'round-robin'; tags?: string[] }) => api.patch<CaseSummary>(`${ws(w)}/cases/${id}`, body),
  note: (w: number, id: number, text: string) => api.post(`${ws(w)}/cases/${id}/notes`, { text }),
  reply: (w: number, id: number, text: string, setStatus?: CaseStatus) => api.post<CaseReply>(`${ws(w)}/cases/${id}/replies`, { text, ...(setStatus ? { setStatus } : {}) }),
  retry: (w: number, id: number, replyId: number) => api.post<CaseReply>(`${ws(w)}/cases/${id}/replies/${replyId}/retry`),
  templates: (w: number, s?: AbortSignal) => api.get<{ items: Template[] }>(`${ws(w)}/reply-templates`, {}, s),
  render: (w: number, id: number, templateId: number) => api.post<{ lang: string; text: string }>(`${ws(w)}/cases/${id}/render-template`, { templateId }),
  people: (w: number, q: string, s?: AbortSignal) => api.get<{ items: { id: number; displayName: string }[] }>(`${ws(w)}/people`, { q }, s),
  person: (w: number, id: number, s?: AbortSignal) => api.get<Person>(`${ws(w)}/people/${id}`, {}, s),
  merge: (w: number, into: number, fromId: number) => api.post<Person>(`${ws(w)}/people/${into}/merge`, { fromId }),
  split: (w: number, id: number, authorId: number) => api.post<Person>(`${ws(w)}/people/${id}/split`, { authorId }),
  verifyHandle: (w: number, id: number, body: { channel: string; handle: string; evidence?: string }) => api.post<Person>(`${ws(w)}/people/${id}/handles`, body),
  unverifyHandle: (w: number, id: number, handleId: number) => api.del(`${ws(w)}/people/${id}/handles/${handleId}`),
  notices: (s?: AbortSignal) => api.get<{ items: Notice[] }>('/notices', { unread: 'true' }, s),
  readNotice: (id: number) => api.post(`/notices/${id}/read`),
  metrics: (w: number, q: { groupBy: string; from?: number }, s?: AbortSignal) => api.get<{ overall: Metrics; groups: { key: string; metrics: Metrics }[] }>(`${ws(w)}/metrics/inbox`, q, s),
};

/** "12 min", "3 h 5 min", "2 d 4 h": short durations for SLA countdowns and response times. */
export function duration(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
