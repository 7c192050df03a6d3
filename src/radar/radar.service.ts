/**
 * The radar: keeps every stream (brand, brand × negative, brand × topic) up to date as mentions are stored,
 * scores it, and hands anomalies and mention-level signals to the alert rules. Notifications queued by the
 * rules are sent by the dispatcher once their transaction has committed.
 *
 * Counting is part of the pipeline's own transaction (a store hook): a batch's mentions and their stream counts
 * commit together, so a crash between the two cannot lose counts. Scoring runs after that commit, in rounds with
 * their own transaction: a round reads the streams' open counts from the database, so a round that never ran
 * (the process stopped) is made up by the next one on the stream, or by the ticker once the clock passes.
 *
 * Rounds run one at a time in this process; batches stored meanwhile are merged into the next round, so a burst
 * costs fewer, larger rounds rather than a growing queue. Across processes, stream updates are conditional on
 * the stream's version; a round that loses the race is retried from fresh state.
 */
import { EventEmitter } from 'node:events';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { storedToMention, type StoredMention } from '../mentions/mention-store.repository.ts';
import type { StoreGroup, StoreGroupHook } from '../pipeline/pipeline.ts';
import type { Alert } from '../alerts/alert.ts';
import type { AlertSignal, StreamSignal } from '../alerts/alert-signal.ts';
import { raiseAlerts, type RaiseResult } from '../alerts/alert-raise.ts';
import { withRadar, type Database, type RadarDb } from './radar.schema.ts';
import type { Transaction } from 'kysely';
import { addCounts, ensureStreams, listOpenCounts, listStaleStreams, loadStates, saveStream, upsertPoints, type RadarStream } from './radar-stream.repository.ts';
import { advanceStream, BUCKET_MS, GRACE_MS, newDetector, watermarkOf, type Advance, type StreamPoint } from './stream-advance.ts';
import type { RadarDetector } from './detectors/radar.detector.ts';
import { DeltaCollector, mergeDeltas, streamKeyId, type StreamDelta } from './stream-deltas.ts';
import { FRESH_MS, mentionSignals, type SignalCandidate } from './mention-signals.ts';

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
  /** Where stored batches come from: the radar counts inside their transaction (once per transaction). */
  pipeline: { onStoreGroup(hook: StoreGroupHook): () => void };
  /** Called after a round that queued notifications has committed. */
  afterCommit?: (result: RaiseResult) => void;
}

/** Emitted after commit for every alert a round opened or updated. */
export interface AlertEvent {
  alert: Alert;
  opened: boolean;
}

/** Emitted after every scoring round (benchmarks replay the detector work of the same rounds). */
export interface RoundEvent {
  workspaceId: number;
  deltas: readonly StreamDelta[];
  now: number;
  ms: number;
}

class StaleStreamError extends Error {}

export class RadarService {
  private readonly pending = new Map<number, { deltas: Map<string, StreamDelta>; signals: AlertSignal[]; now: number }>();
  private chain: Promise<void> = Promise.resolve();
  private draining = false;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly events = new EventEmitter();
  private readonly detectors = new Map<number, { version: number; detector: RadarDetector }>();

  /** Time spent counting inside batch transactions and scoring in rounds, since start (ms). */
  readonly stats = { countMs: 0, roundMs: 0, rounds: 0 };

  constructor(private readonly deps: RadarDeps) {}

  /** Counts every batch the pipeline stores (all workspaces) and scores the streams after each commit. */
  start(): void {
    this.unsubscribe ??= this.deps.pipeline.onStoreGroup((trx, ws) => this.counting(withRadar(trx), ws));
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
  onRound(listener: (e: RoundEvent) => void): () => void {
    this.events.on('round', listener);
    return () => this.events.off('round', listener);
  }

  /** @returns an unsubscribe function. */
  onAlert(listener: (e: AlertEvent) => void): () => void {
    this.events.on('alert', listener);
    return () => this.events.off('alert', listener);
  }

  /**
   * Inside a transaction of one or more batches: adds their mentions to their streams' bucket counts, once at the
   * end (buckets the stream has already closed keep their score: late mentions make the chart true, not the past
   * alerts). The round to queue after commit is what `end` returns.
   */
  private counting(trx: RadarDb, ws: number): StoreGroup {
    const deltas = new DeltaCollector();
    const signals: AlertSignal[] = [];
    let last = 0;
    const batch = (stored: readonly StoredMention[], now: number) => {
      last = Math.max(last, now);
      for (const s of stored) deltas.addOne(s.draft.row.published_at, s.draft.brandIds, s.draft.row.sentiment, s.draft.topics, now);
      const fresh = stored.filter((s) => s.duplicateOf === null && now - s.draft.row.published_at <= FRESH_MS).map(candidate);
      for (const signal of mentionSignals(fresh, now, (c) => storedToMention(c.stored))) signals.push(signal);
    };
    const end = async (): Promise<(() => void) | void> => {
      if (!deltas.size && !signals.length) return;
      const list = deltas.deltas();
      const streams = await ensureStreams(trx, ws, list.map((d) => d.key), last);
      for (const d of list) {
        const stream = streams.get(streamKeyId(d.key));
        if (!stream) continue;
        const open = stream.open.openBucket;
        const late = new Map([...d.counts].filter(([b]) => open !== 0 && b < open));
        if (late.size) await addCounts(trx, this.deps.db.sqlite, stream.id, late, true);
        const current = new Map([...d.counts].filter(([b]) => open === 0 || b >= open));
        if (current.size) await addCounts(trx, this.deps.db.sqlite, stream.id, current, false);
      }
      return () => this.enqueue(ws, list, signals, last);
    };
    return {
      batch: (stored, now) => {
        const t0 = performance.now();
        batch(stored, now);
        this.stats.countMs += performance.now() - t0;
      },
      end: async () => {
        const t0 = performance.now();
        try {
          return await end();
        } finally {
          this.stats.countMs += performance.now() - t0;
        }
      },
    };
  }

  /** Queues a scoring round for counted streams and mention signals (merged with what is already queued). */
  private enqueue(workspaceId: number, deltas: StreamDelta[], signals: AlertSignal[], now: number): void {
    let queued = this.pending.get(workspaceId);
    if (!queued) this.pending.set(workspaceId, (queued = { deltas: new Map(), signals: [], now }));
    mergeDeltas(queued.deltas, deltas);
    queued.signals.push(...signals);
    queued.now = Math.max(queued.now, now);
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
        const [ws, queued] = next.value;
        this.pending.delete(ws);
        // The round stands for the moment these mentions were stored, even if it runs a little later: a bucket
        // is not closed by a clock that moved on while the round waited for its turn.
        const now = Math.min(this.deps.clock.now(), queued.now);
        await this.round(ws, [...queued.deltas.values()], queued.signals, now).catch((err: unknown) => this.deps.logger.error({ err, workspaceId: ws }, 'radar round failed'));
      }
    } finally {
      this.draining = false;
    }
  }

  /** Closes the buckets the clock has passed on streams without new mentions. */
  async advanceStale(): Promise<void> {
    const now = this.deps.clock.now();
    const stale = await listStaleStreams(withRadar(this.deps.db.kysely), watermarkOf(now), now - GRACE_MS, 500);
    const byWs = new Map<number, StreamDelta[]>();
    for (const s of stale) byWs.set(s.workspaceId, [...(byWs.get(s.workspaceId) ?? []), { key: s, counts: new Map() }]);
    for (const [ws, deltas] of byWs) await this.round(ws, deltas, [], now);
  }

  private async round(ws: number, deltas: StreamDelta[], extra: AlertSignal[], now: number): Promise<RaiseResult> {
    const t0 = performance.now();
    try {
      return await this.roundWithRetries(ws, deltas, extra, now);
    } finally {
      const ms = performance.now() - t0;
      this.stats.roundMs += ms;
      this.stats.rounds++;
      this.events.emit('round', { workspaceId: ws, deltas, now, ms } satisfies RoundEvent);
    }
  }

  private async roundWithRetries(ws: number, deltas: StreamDelta[], extra: AlertSignal[], now: number): Promise<RaiseResult> {
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

  /** Closes what the watermark has passed (the batch's counts are stored already), scores what is open, and saves. */
  private async advance(trx: Trx, stream: RadarStream, detector: RadarDetector, counts: Map<number, number>, now: number): Promise<Advance> {
    const open = stream.open.openBucket;
    const pending = await listOpenCounts(trx, stream.id, open);
    const adv = advanceStream(detector, open, pending, watermarkFor(counts, now));
    const state = adv.closed.length ? JSON.stringify(detector.snapshot()) : undefined;
    const newest = adv.open[adv.open.length - 1];
    const score = Math.max(0, ...adv.open.map((p) => p.score));
    if (!(await saveStream(trx, stream, { openBucket: adv.openBucket, openCount: newest?.n ?? 0 }, state, score, now))) throw new StaleStreamError(`stream ${stream.id} changed meanwhile`);
    // Quiet closed buckets are not stored (charts draw a missing bucket as 0): sparse streams such as a brand ×
    // topic would otherwise write a row per stream every 5 minutes whatever happens.
    await upsertPoints(trx, this.deps.db.sqlite, stream.id, [...adv.closed.filter((p) => p.n > 0 || p.score >= 0.3), ...adv.open]);
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

/** What the mention signals read of a stored mention, without building the whole mention. */
function candidate(s: StoredMention): SignalCandidate & { stored: StoredMention } {
  const r = s.draft.row;
  const a = s.draft.author;
  return {
    stored: s, sourceId: r.source_id, externalId: r.external_id, parentExternalId: r.parent_external_id, publishedAt: r.published_at, ingestedAt: r.ingested_at,
    duplicateOf: s.duplicateOf, brandIds: s.draft.brandIds, metrics: { likes: r.likes, shares: r.shares, replies: r.replies, views: r.views },
    sentiment: r.sentiment ? { label: r.sentiment, score: r.sentiment_score } : null,
    author: a && s.authorId !== null ? { id: s.authorId, followers: a.followers } : null,
  };
}
