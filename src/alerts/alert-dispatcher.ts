/**
 * Sends queued alert deliveries (the outbox written in the alert's transaction) once it has committed:
 * `kick()` after each round that queued something, and a timer for retries. Each attempt is recorded on the
 * delivery; failures are retried with backoff (30 s, 2 min, 10 min, 1 h, 6 h) and then marked failed.
 * A delivery is claimed with a lease before it is sent, so several processes never send it twice at once.
 */
import type { Db } from '../db/connection.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { errorMessage } from '../lib/errors.ts';
import { parseJson } from '../db/json.ts';
import { withRadar, type ChannelKind } from '../radar/radar.schema.ts';
import { claimDelivery, getChannelById, listDueDeliveries, recordAttempt, type AlertDelivery, type DeliveryAttempt } from './alert-channel.repository.ts';
import { DeliveryError, type AlertMessage, type Notifier } from './notifiers/notifier.ts';

export const BACKOFF_MS = [30_000, 120_000, 600_000, 3_600_000, 6 * 3_600_000];
const LEASE_MS = 120_000;
const BATCH = 50;

export interface DispatcherDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  notifiers: Record<ChannelKind, Notifier>;
}

export class AlertDispatcher {
  private running: Promise<number> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: DispatcherDeps) {}

  /** Sends what is due soon, without waiting (coalesces with a run in progress). */
  kick(): void {
    if (this.running) this.again = true;
    else void this.runOnce();
  }

  start(intervalMs = 15_000): void {
    this.timer ??= setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Sends every due delivery once. @returns how many were attempted. */
  async runOnce(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.loop().finally(() => (this.running = null));
    return this.running;
  }

  private async loop(): Promise<number> {
    let total = 0;
    do {
      this.again = false;
      const due = await listDueDeliveries(withRadar(this.deps.db.kysely), this.deps.clock.now(), BATCH);
      for (const d of due) if (await this.deliver(d)) total++;
      if (due.length === BATCH) this.again = true;
    } while (this.again);
    return total;
  }

  private async deliver(d: AlertDelivery): Promise<boolean> {
    const db = withRadar(this.deps.db.kysely);
    if (!(await claimDelivery(db, d, this.deps.clock.now(), LEASE_MS))) return false;
    const started = Date.now();
    const at = this.deps.clock.now();
    let attempt: DeliveryAttempt;
    let retry = true;
    try {
      const message = parseJson<AlertMessage>(d.payload, null as unknown as AlertMessage);
      const channel = await getChannelById(db, message.alert.workspaceId, d.channelId);
      const status = await this.deps.notifiers[channel.kind].send(channel, message, d.id);
      attempt = { at, ok: true, status, error: null, ms: Date.now() - started };
    } catch (err) {
      retry = !(err instanceof DeliveryError) || err.retry;
      attempt = { at, ok: false, status: err instanceof DeliveryError ? err.status : null, error: errorMessage(err).slice(0, 500), ms: Date.now() - started };
      this.deps.logger.warn({ deliveryId: d.id, error: attempt.error }, 'alert delivery failed');
    }
    await recordAttempt(db, d, attempt, nextState(d.attempts + 1, attempt.ok, retry, at));
    return true;
  }
}

/** After `attempts` tries: sent, pending again after the backoff, or failed for good. */
export function nextState(attempts: number, ok: boolean, retry: boolean, now: number): { status: 'sent' | 'pending' | 'failed'; nextAttemptAt: number } {
  if (ok) return { status: 'sent', nextAttemptAt: now };
  const wait = BACKOFF_MS[attempts - 1];
  if (!retry || wait === undefined) return { status: 'failed', nextAttemptAt: now };
  return { status: 'pending', nextAttemptAt: now + wait };
}
