/** Types and calls for the radar settings page: alert rules and notification channels (admin configuration). */
import { api } from '../api.ts';
import type { Severity } from './radar-data.ts';

export const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];
export type ChannelKind = 'webhook' | 'slack' | 'email';
export const CHANNEL_KINDS: ChannelKind[] = ['webhook', 'slack', 'email'];

export interface AlertRule { id: number; kind: string; severity: Severity; cooldownMs: number; threshold: number; muted: boolean; mutedUntil: number | null; updatedAt: number }
export interface RuleChanges { severity?: Severity; cooldownMinutes?: number; threshold?: number; muted?: boolean; mutedUntil?: number | null }

/**
 * A channel as the API shows it: a webhook's `secret` only in the answer that created or rotated it (else
 * masked, ending in "…"), a Slack URL always masked (it is the credential).
 */
export interface AlertChannel { id: number; kind: ChannelKind; name: string; config: { url?: string; secret?: string; to?: string[] }; minSeverity: Severity; enabled: boolean; createdAt: number }
export interface NewChannel { kind: ChannelKind; name: string; url?: string; to?: string[]; minSeverity: Severity; enabled: boolean }
export interface ChannelChanges { name?: string; url?: string; to?: string[]; minSeverity?: Severity; enabled?: boolean; rotateSecret?: true }
export interface ChannelTest { ok: boolean; status: number | null; error: string | null }

/** Muted now: muted without an end, or until a time still ahead (as the server decides). */
export function isMuted(rule: AlertRule, now = Date.now()): boolean {
  return rule.muted && (rule.mutedUntil === null || rule.mutedUntil > now);
}

/** A secret the API has shown whole (on creation or rotation), as opposed to its masked form. */
export function isWholeSecret(secret: string | undefined): secret is string {
  return !!secret && !secret.endsWith('…');
}

export const settingsApi = {
  rules: (ws: number, signal?: AbortSignal) => api.get<{ items: AlertRule[] }>(`/workspaces/${ws}/alerts/rules`, {}, signal),
  updateRule: (ws: number, id: number, changes: RuleChanges) => api.patch<AlertRule>(`/workspaces/${ws}/alerts/rules/${id}`, changes),
  channels: (ws: number, signal?: AbortSignal) => api.get<{ items: AlertChannel[] }>(`/workspaces/${ws}/alerts/channels`, {}, signal),
  createChannel: (ws: number, c: NewChannel) => api.post<AlertChannel>(`/workspaces/${ws}/alerts/channels`, c),
  updateChannel: (ws: number, id: number, c: ChannelChanges) => api.patch<AlertChannel>(`/workspaces/${ws}/alerts/channels/${id}`, c),
  deleteChannel: (ws: number, id: number) => api.del(`/workspaces/${ws}/alerts/channels/${id}`),
  testChannel: (ws: number, id: number) => api.post<ChannelTest>(`/workspaces/${ws}/alerts/channels/${id}/test`),
};
