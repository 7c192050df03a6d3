/**
 * The dashboard's only door to the server: typed calls to the Earshot HTTP API (same origin).
 * Every failure becomes an ApiError carrying the API's `{ error: { code, message, fields?, position? } }`.
 */

export interface Workspace { id: number; name: string; createdAt: number }

export type BrandKind = 'own' | 'competitor';
export interface Brand { id: number; name: string; kind: BrandKind; query: string; languages: string[]; createdAt: number; updatedAt: number }
export interface BrandFields { name: string; kind: BrandKind; query: string; languages: string[] }

export interface MentionAuthor { id: number; handle: string; name: string | null; url: string | null; followers: number | null }
export interface Mention {
  id: number;
  sourceId: number;
  externalId: string;
  channel: string;
  url: string | null;
  title: string | null;
  text: string;
  author: MentionAuthor | null;
  publishedAt: number;
  ingestedAt: number;
  lang: string | null;
  sentiment: { label: string; score: number | null } | null;
  topics: string[];
  intents: string[];
  metrics: { likes: number | null; shares: number | null; replies: number | null; views: number | null };
  parentExternalId: string | null;
  duplicateOf: number | null;
  duplicateCount: number;
  brandIds: number[];
}
export interface MentionDetail extends Mention { parent: Mention | null; replies: Mention[] }
export interface MentionPage { items: Mention[]; nextCursor: string | null }

export type Sentiment = 'negative' | 'neutral' | 'positive' | 'none';
export type CountGroup = 'brand' | 'sentiment' | 'lang' | 'source';
export interface CountRow { bucket: number; key: string | number; n: number }
export interface TopAuthor { authorId: number; channel: string; handle: string; name: string | null; url: string | null; followers: number | null; mentions: number; engagement: number }
export interface BrandPreview { scanned: number; matched: number; items: Mention[] }

export type SourceStatus = 'idle' | 'ok' | 'error' | 'running' | 'finished';
export interface Source {
  id: number;
  kind: string;
  name: string;
  settings: Record<string, unknown>;
  brandId: number | null;
  enabled: boolean;
  status: SourceStatus;
  lastFetchAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextFetchAt: number;
  itemsStored: number;
  itemsFiltered: number;
  itemsFailed: number;
  pendingDeadLetters?: number;
}
export interface JsonSchema { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; enum?: unknown[]; default?: unknown; description?: string; minimum?: number; maximum?: number }
export interface SourceKind { kind: string; label: string; secrets: string[]; settings: JsonSchema }
export interface SourceEvent { id: number; at: number; level: 'info' | 'error'; message: string }
export interface DeadLetter { id: number; sourceId: number | null; externalId: string | null; stage: string; error: string; payload: unknown; status: 'pending' | 'retried' | 'discarded'; attempts: number; createdAt: number; updatedAt: number }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly position?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Params = Record<string, string | number | boolean | undefined | null>;

/** `/api/x` + the defined params as a query string. */
export function apiUrl(path: string, params: Params = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return `/api${path}${s ? `?${s}` : ''}`;
}

/** The session's CSRF token (from GET /api/auth/me or sign-in); sent with every write when there is one. */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Fired on `window` when the API answers 401: the app then shows the sign-in form. */
export const UNAUTHORIZED_EVENT = 'earshot:unauthorized';

async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    res = await fetch(url, { method, signal, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', (err as Error).message);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as unknown;
  if (res.status === 401 && !url.startsWith('/api/auth/')) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; fields?: Record<string, string>; position?: number } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? 'http', e?.message ?? `HTTP ${res.status}`, e?.fields ?? {}, e?.position);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, params?: Params, signal?: AbortSignal) => request<T>('GET', apiUrl(path, params), undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>('POST', apiUrl(path), body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', apiUrl(path), body),
  del: (path: string) => request<void>('DELETE', apiUrl(path)),
};

/** True for http(s) URLs only: anything else (javascript:, data:, relative) is never made a link. */
export function isWebUrl(url: string | null | undefined): url is string {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
