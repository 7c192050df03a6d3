/**
 * Replays fixture mentions into a running Earshot the way a real integration would: through a webhook
 * source, with Standard Webhooks signatures, over HTTP.
 */
import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export interface WebhookSource {
  id: number;
  secret: string;
}

async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/api${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const apiCall = call;

/** A workspace with the given brands. @returns the workspace id and the brand ids by name. */
export async function createWorkspace(base: string, name: string, brands: { name: string; kind: 'own' | 'competitor'; query: string }[]): Promise<{ ws: number; brandIds: Record<string, number> }> {
  const { id: ws } = await call<{ id: number }>(base, 'POST', '/workspaces', { name });
  const brandIds: Record<string, number> = {};
  for (const b of brands) brandIds[b.name] = (await call<{ id: number }>(base, 'POST', `/workspaces/${ws}/brands`, { ...b, languages: [] })).id;
  return { ws, brandIds };
}

export async function createWebhookSource(base: string, ws: number, name: string): Promise<WebhookSource> {
  const s = await call<{ id: number; settings: { secret: string } }>(base, 'POST', `/workspaces/${ws}/sources`, { kind: 'webhook', name, settings: {} });
  return { id: s.id, secret: s.settings.secret };
}

/** One signed delivery of `items` (at most 1,000). @returns the ingest response. */
export async function deliver(base: string, source: WebhookSource, items: Record<string, unknown>[]): Promise<unknown> {
  const body = JSON.stringify({ items });
  const id = `msg_${crypto.randomUUID()}`;
  const now = new Date();
  const signature = new Webhook(source.secret).sign(id, now, body);
  const res = await fetch(`${base}/api/ingest/webhook/${source.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`webhook delivery → ${res.status}: ${text}`);
  return JSON.parse(text) as unknown;
}
