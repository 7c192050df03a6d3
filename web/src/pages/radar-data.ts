/** Types and calls for the radar page (the /radar/streams and /alerts API). */
import { api } from '../api.ts';

export type StreamKind = 'volume' | 'negative' | 'topic';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type Severity = 'info' | 'warning' | 'critical';

export interface Band { expected: number; lo: number; hi: number }
export interface RadarStream { id: number; brandId: number; kind: StreamKind; topic: string; openBucket: number; openCount: number; score: number; band: Band | null; learned: number; updatedAt: number }
export interface RadarPoint { bucket: number; n: number; score: number; expected: number | null; lo: number | null; hi: number | null; closed: boolean }
export interface AlertMarker { id: number; rule: string; severity: Severity; status: AlertStatus; title: string; startedAt: number; lastSeenAt: number }
export interface StreamSeries { stream: RadarStream; bucketMs: number; points: RadarPoint[]; alerts: AlertMarker[] }

export interface AlertExplanation {
  summary: string;
  unit: string;
  brand: { id: number; name: string } | null;
  stream: { id: number; kind: StreamKind; topic: string } | null;
  observed: number;
  expected: number | null;
  upper: number | null;
  since: number;
  peakAt: number;
  mentions: number;
  topTerms: { term: string; count: number; lift: number }[];
  topTopics: { topic: string; count: number }[];
  representative: { id: number; text: string; url: string | null; publishedAt: number; author: string | null; followers: number | null; sentiment: string | null }[];
  topAuthors: { handle: string; name: string | null; followers: number; mentions: number }[];
}

export interface Alert {
  id: number;
  rule: string;
  brandId: number | null;
  streamId: number | null;
  status: AlertStatus;
  severity: Severity;
  title: string;
  score: number;
  observed: number;
  expected: number | null;
  explanation: AlertExplanation;
  startedAt: number;
  lastSeenAt: number;
  updates: number;
}

export interface WindowMention { id: number; text: string; title: string | null; url: string | null; publishedAt: number; sentiment: string | null; handle: string | null; followers: number | null }
export interface Delivery { id: number; channelId: number; event: string; status: string; attempts: number }
export interface AlertDetail { alert: Alert; mentions: WindowMention[]; deliveries: Delivery[] }

export const radarApi = {
  streams: (ws: number, signal?: AbortSignal) => api.get<{ items: RadarStream[] }>(`/workspaces/${ws}/radar/streams`, {}, signal),
  series: (ws: number, id: number, from: number, to: number, signal?: AbortSignal) => api.get<StreamSeries>(`/workspaces/${ws}/radar/streams/${id}`, { from, to }, signal),
  alerts: (ws: number, status: string, signal?: AbortSignal) => api.get<{ items: Alert[] }>(`/workspaces/${ws}/alerts`, status ? { status, limit: 100 } : { limit: 100 }, signal),
  alert: (ws: number, id: number, signal?: AbortSignal) => api.get<AlertDetail>(`/workspaces/${ws}/alerts/${id}`, {}, signal),
  acknowledge: (ws: number, id: number) => api.post<Alert>(`/workspaces/${ws}/alerts/${id}/acknowledge`),
  resolve: (ws: number, id: number) => api.post<Alert>(`/workspaces/${ws}/alerts/${id}/resolve`),
};
