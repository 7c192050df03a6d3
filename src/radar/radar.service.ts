/**
 * The radar: keeps every stream (brand, brand × negative, brand × topic) up to date as mentions are stored,
 * scores it, and hands anomalies and mention-level signals to the alert rules — all in one transaction per
 * round, after the pipeline's own commit (it listens on the MentionBus). Notifications queued by the rules
 * are sent by the dispatcher once that transaction has committed.
 *
 * Rounds run one at a time in this process; mentions that arrive meanwhile are merged into the next round,
 * so a burst costs fewer, larger rounds rather than a growing queue. Across processes, stream updates are
 * conditional on the stream's version; a round that loses the race is retried from fresh state.
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mention } from '../mentions/mention.ts';
import type { MentionBus } from '../mentions/mention-bus.ts';
import type { Alert } from '../alerts/alert.ts';
import type { AlertSignal, StreamSignal } from '../alerts/alert-signal.ts';
import { raiseAlerts, type RaiseResult } from '../alerts/alert-raise.ts';
import { withRadar, type Database } from './radar.schema.ts';
import type { Transaction } from 'kysely';
import { addCounts, ensureStreams, listOpenCounts, listStaleStreams, loadStates, saveStream, upsertPoints, type RadarStream } from './radar-stream.repository.ts';
import { advanceStream, BUCKET_MS, GRACE_MS, newDetector, peekState, watermarkOf, type Advance, type StreamPoint } from './stream-advance.ts';
import type { RadarDetector } from './detectors/radar.detector.ts';
import { collectDeltas, streamKeyId, type StreamDelta } from './stream-deltas.ts';
import { mentionSignals } from './mention-signals.ts';

/** Buckets older than this when scored are history (a backfill): they train the detector but raise nothing. */
export const ALERT_HORIZON_MS = 2 * 3_600_000;
const TICK_MS = 60_000;
/** Detectors kept in memory between rounds (a stream's state is only re-read when another process moved it). */
const DETECTOR_CACHE = 20_000;

type Trx = Transaction<Database>;

export interface RadarDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  bus: MentionBus;
  /** Called after a round that queued notifications has committed. */
  afterCommit?: (result: RaiseResult) => void;
}

/** Emitted after commit for every alert a round opened or updated. */
export interface AlertEvent {
  alert: Alert;
  opened: boolean;
}

class StaleStreamError extends Error {}

export class RadarService {
  private readonly pending = new Map<number, Mention[]>();
  private chain: Promise<void> = Promise.resolve();
  private draining = false;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly events = new EventEmitter();
  private readonly detectors = new Map<number, { version: number; detector: RadarDetector }>();

  constructor(private readonly deps: RadarDeps) {}

  /** Listens for stored mentions (all workspaces). */
  start(): void {
    this.unsubscribe ??= this.deps.bus.subscribeAll((ws, mentions) => this.enqueue(ws, mentions));
  }

  /** Also closes buckets as the clock passes them, for streams that have gone quiet. */
  startTicker(intervalMs = TICK_MS): void {
    this.timer ??= setInterval(() => void this.run(() => this.advanceStale()), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  /** @returns an unsubscribe function. */
  onAlert(listener: (e: AlertEvent) => void): () => void {
    this.events.on('alert', listener);
    return () => this.events.off('alert', listener);
  }

  enqueue(workspaceId: number, mentions: Mention[]): void {
    const list = this.pending.get(workspaceId);
    if (list) list.push(...mentions);
    else this.pending.set(workspaceId, [...mentions]);
    if (!this.draining) {
      this.draining = true;
      void this.run(() => this.drain());
    }
  }

  /** Resolves when every queued round has finished. */
  async idle(): Promise<void> {
    let last: Promise<void> | undefined;
    while (last !== this.chain) await (last = this.chain);
  }

  private run(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch((err: unknown) => this.deps.logger.error({ err }, 'radar round failed'));
    return this.chain;
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.pending.entries().next(); !next.done; next = this.pending.entries().next()) {
        const [ws, mentions] = next.value;
        this.pending.delete(ws);
        await this.processMentions(ws, mentions).catch((err: unknown) => this.deps.logger.error({ err, workspaceId: ws }, 'radar round failed'));
      }
    } finally {
      this.draining = false;
    }
  }

  /** One round for stored mentions of one workspace. Exposed for tests and benchmarks. */
  async processMentions(workspaceId: number, mentions: readonly Mention[]): Promise<RaiseResult> {
    // The round stands for the moment these mentions were stored, even if it runs a little later: a bucket is
    // not closed by a clock that moved on while the round waited for its turn.
    const now = Math.min(this.deps.clock.now(), Math.max(0, ...mentions.map((m) => m.ingestedAt)) || Infinity);
    return this.round(workspaceId, collectDeltas(mentions, now), mentionSignals(mentions, now), now);
  }

  /** Closes the buckets the clock has passed on streams without new mentions. */
  async advanceStale(): Promise<void> {
    const now = this.deps.clock.now();
    const stale = await listStaleStreams(withRadar(this.deps.db.kysely), watermarkOf(now), now - GRACE_MS, 500);
    const byWs = new Map<number, StreamDelta[]>();
    for (const s of stale) byWs.set(s.workspaceId, [...(byWs.get(s.workspaceId) ?? []), { key: s, counts: new Map(), mentionIds: [] }]);
    for (const [ws, deltas] of byWs) await this.round(ws, deltas, [], now);
  }

  private async round(ws: number, deltas: StreamDelta[], extra: AlertSignal[], now: number): Promise<RaiseResult> {
    for (let attempt = 1; ; attempt++) {
      const touched = new Map<number, { version: number; detector: RadarDetector }>();
      try {
        const result = await withRadar(this.deps.db.kysely).transaction().execute((trx) => this.roundIn(trx, ws, deltas, extra, now, touched));
        for (const [id, entry] of touched) this.cache(id, entry);
        this.published(result);
        return result;
      } catch (err) {
        // The detectors were advanced in memory for a transaction that did not commit: forget them.
        for (const id of touched.keys()) this.detectors.delete(id);
        if (!(err instanceof StaleStreamError) || attempt >= 3) throw err;
      }
    }
  }

  private async roundIn(trx: Trx, ws: number, deltas: StreamDelta[], extra: AlertSignal[], now: number, touched: Map<number, { version: number; detector: RadarDetector }>): Promise<RaiseResult> {
    const streams = await ensureStreams(trx, ws, deltas.map((d) => d.key), now);
    const detectors = await this.detectorsFor(trx, [...streams.values()]);
    const signals: AlertSignal[] = [];
    for (const d of deltas) {
      const stream = streams.get(streamKeyId(d.key));
      if (!stream) continue; // the brand was deleted meanwhile
      const detector = detectors.get(stream.id)!;
      touched.set(stream.id, { version: stream.version + 1, detector });
      const adv = await this.advance(trx, stream, detector, d.counts, now);
      signals.push(...recentSignals(stream, adv, now));
    }
    return raiseAlerts(trx, ws, [...signals, ...extra], now);
  }

  /** Cached detectors whose stream has not changed since (same version), the others rebuilt from their stored state. */
  private async detectorsFor(trx: Trx, streams: RadarStream[]): Promise<Map<number, RadarDetector>> {
    const out = new Map<number, RadarDetector>();
    const missing: number[] = [];
    for (const s of streams) {
      const cached = this.detectors.get(s.id);
      if (cached && cached.version === s.version) out.set(s.id, cached.detector);
      else missing.push(s.id);
    }
    const states = await loadStates(trx, missing);
    for (const id of missing) out.set(id, newDetector(states.get(id) ?? null));
    return out;
  }

  private cache(id: number, entry: { version: number; detector: RadarDetector }): void {
    this.detectors.delete(id);
    this.detectors.set(id, entry);
    if (this.detectors.size > DETECTOR_CACHE) this.detectors.delete(this.detectors.keys().next().value!);
  }

  /** Counts this round's mentions, closes what the watermark has passed, scores what is open, and saves. */
  private async advance(trx: Trx, stream: RadarStream, detector: RadarDetector, counts: Map<number, number>, now: number): Promise<Advance> {
    const open = stream.open.openBucket;
    const late = new Map([...counts].filter(([b]) => open !== 0 && b < open));
    if (late.size) await addCounts(trx, stream.id, late, true);
    const fresh = new Map([...counts].filter(([b]) => open === 0 || b >= open));
    if (fresh.size) await addCounts(trx, stream.id, fresh, false);
    const pending = await listOpenCounts(trx, stream.id, open);
    const adv = advanceStream(detector, open, pending, watermarkFor(counts, now));
    const state = adv.closed.length ? JSON.stringify(peekState(detector)) : undefined;
    const newest = adv.open[adv.open.length - 1];
    const score = Math.max(0, ...adv.open.map((p) => p.score));
    if (!(await saveStream(trx, stream, { openBucket: adv.openBucket, openCount: newest?.n ?? 0 }, state, score, now))) throw new StaleStreamError(`stream ${stream.id} changed meanwhile`);
    // Quiet closed buckets are not stored (charts draw a missing bucket as 0): sparse streams such as a brand ×
    // topic would otherwise write a row per stream every 5 minutes whatever happens.
    await upsertPoints(trx, stream.id, [...adv.closed.filter((p) => p.n > 0 || p.score >= 0.3), ...adv.open]);
    return adv;
  }

  private published(result: RaiseResult): void {
    if (result.queued) this.deps.afterCommit?.(result);
    for (const alert of result.opened) this.events.emit('alert', { alert, opened: true } satisfies AlertEvent);
    for (const alert of result.updated) this.events.emit('alert', { alert, opened: false } satisfies AlertEvent);
  }
}

/**
 * Up to where a round may close a stream's buckets. With new mentions, the stream's own time decides (its
 * newest bucket, never ahead of the clock): an import delivered in chunks in time order then closes each
 * stretch as its data arrives, instead of the first chunk closing the whole gap up to now with zeros. Without
 * (the ticker, for streams quiet for the grace period), the clock decides.
 */
function watermarkFor(counts: ReadonlyMap<number, number>, now: number): number {
  if (!counts.size) return watermarkOf(now);
  return watermarkOf(Math.min(now, Math.max(...counts.keys()) + BUCKET_MS));
}

/**
 * The stream's signals of this round, within the alert horizon: its most anomalous bucket (the open ones
 * included), and its newest bucket when that is another one — an incident's growth shows in the newest bucket,
 * while the copy that scores the open buckets is already cooling down after the first anomalous one.
 */
function recentSignals(stream: RadarStream, adv: Advance, now: number): StreamSignal[] {
  const recent = [...adv.closed, ...adv.open].filter((p) => p.bucket >= now - ALERT_HORIZON_MS);
  let best: StreamPoint | null = null;
  for (const p of recent) if (!best || p.score > best.score || (p.score === best.score && excess(p) > excess(best))) best = p;
  const newest = recent[recent.length - 1];
  const subject = { id: stream.id, brandId: stream.brandId, kind: stream.kind, topic: stream.topic };
  return [best, newest !== best ? newest : undefined]
    .filter((p): p is StreamPoint => p !== null && p !== undefined && (p.score >= 0.3 || excess(p) > 0))
    .map((point) => ({ type: 'stream', stream: subject, point }));
}

const excess = (p: StreamPoint): number => (p.band ? p.n - p.band.hi : 0);
