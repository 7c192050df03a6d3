/** Read side of the radar for the API and the radar page: streams with their current band, and a stream's series with alert markers. */
import type { AppContext } from '../app-context.ts';
import { ValidationError } from '../lib/errors.ts';
import { listAlerts } from '../alerts/alert.repository.ts';
import { withRadar, type AlertStatus, type RuleKind, type Severity, type StreamKind } from './radar.schema.ts';
import { getStreamById, listPoints, listStreams, loadStates, type RadarPoint, type RadarStream } from './radar-stream.repository.ts';
import type { RadarState } from './detectors/radar.detector.ts';
import { bandOf, type Band } from './stream-band.ts';
import { BUCKET_MS } from './stream-advance.ts';

export interface StreamSummary {
  id: number;
  brandId: number;
  kind: StreamKind;
  topic: string;
  /** The open bucket, its count so far and its provisional score. */
  openBucket: number;
  openCount: number;
  score: number;
  /** Expected value and band for the open bucket (null while the detector is learning). */
  band: Band | null;
  /** Buckets the detector has learned. */
  learned: number;
  updatedAt: number;
}

function summarize(s: RadarStream, state: RadarState | null): StreamSummary {
  return {
    id: s.id, brandId: s.brandId, kind: s.kind, topic: s.topic, openBucket: s.open.openBucket, openCount: s.open.openCount,
    score: s.lastScore, band: bandOf(state, s.open.openBucket), learned: state?.n ?? 0, updatedAt: s.updatedAt,
  };
}

async function summaries(ctx: AppContext, streams: RadarStream[]): Promise<StreamSummary[]> {
  const states = await loadStates(withRadar(ctx.db.kysely), streams.map((s) => s.id));
  return streams.map((s) => summarize(s, states.get(s.id) ?? null));
}

export async function listStreamSummaries(ctx: AppContext, ws: number, filter: { brandId?: number; kind?: StreamKind }): Promise<StreamSummary[]> {
  return summaries(ctx, await listStreams(withRadar(ctx.db.kysely), ws, filter));
}

export interface AlertMarker {
  id: number;
  rule: RuleKind;
  severity: Severity;
  status: AlertStatus;
  title: string;
  startedAt: number;
  lastSeenAt: number;
}

export interface StreamSeries {
  stream: StreamSummary;
  bucketMs: number;
  points: RadarPoint[];
  alerts: AlertMarker[];
}

const MAX_RANGE_MS = 31 * 86_400_000;

/** @throws ValidationError for a range longer than 31 days (8,928 buckets). */
export async function getStreamSeries(ctx: AppContext, ws: number, id: number, range: { from: number; to: number }): Promise<StreamSeries> {
  if (range.to <= range.from) throw new ValidationError('"to" must be after "from"', { to: 'before from' });
  if (range.to - range.from > MAX_RANGE_MS) throw new ValidationError('a stream series covers at most 31 days', { from: 'range too long' });
  const db = withRadar(ctx.db.kysely);
  const stream = await getStreamById(db, ws, id);
  const points = await listPoints(db, id, range.from, range.to);
  const alerts = await listAlerts(db, ws, { streamId: id, from: range.from, to: range.to }, 200);
  return {
    stream: (await summaries(ctx, [stream]))[0]!, bucketMs: BUCKET_MS, points,
    alerts: alerts.map((a) => ({ id: a.id, rule: a.rule, severity: a.severity, status: a.status, title: a.title, startedAt: a.startedAt, lastSeenAt: a.lastSeenAt })),
  };
}
