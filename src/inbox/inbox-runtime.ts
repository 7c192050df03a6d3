/**
 * Runs the inbox's background work in this process: case intake (started at once when the mention bus
 * announces new mentions, and on a timer to catch what other processes stored), the SLA watch and reply
 * retries. Work is serialized per process; across processes the intake cursor and the SLA flags are
 * compare-and-set, so several processes can run it at once without doing anything twice.
 */
import type { AppContext } from '../app-context.ts';
import { listWorkspaces } from '../workspaces/workspace.repository.ts';
import { intakeBatch } from './intake.service.ts';
import { retryDueReplies } from './reply.service.ts';
import { checkSlas } from './sla.job.ts';
import { deliverDueNotices } from './notice.service.ts';

export class InboxRuntime {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly subscriptions = new Map<number, () => void>();
  private stopped = false;

  constructor(private readonly ctx: AppContext) {}

  /** Starts the timer and the bus subscriptions (when INBOX_JOBS is on). */
  start(): void {
    if (!this.ctx.config.inbox.jobs || this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.enqueue(() => this.tick()), this.ctx.config.inbox.jobsIntervalMs);
    this.timer.unref();
    void this.enqueue(() => this.tick());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const off of this.subscriptions.values()) off();
    this.subscriptions.clear();
    await this.chain.catch(() => undefined);
  }

  /** Runs intake for every workspace until caught up, then the SLA watch, its notices and due retries; resolves when done. */
  runOnce(): Promise<void> {
    return this.enqueue(() => this.tick());
  }

  /** Runs only the case intake for every workspace until caught up; resolves when done. */
  intakeNow(): Promise<void> {
    return this.enqueue(async () => {
      for (const ws of await listWorkspaces(this.ctx.db.kysely)) await this.intake(ws.id);
    });
  }

  /** Resolves when the work queued so far is done (tests, shutdown). */
  async drain(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.chain.then(job).catch((err: unknown) => this.ctx.logger.error({ err }, 'inbox background work failed'));
    this.chain = next;
    return next;
  }

  private async tick(): Promise<void> {
    for (const ws of await listWorkspaces(this.ctx.db.kysely)) {
      this.subscribe(ws.id);
      await this.intake(ws.id);
    }
    await checkSlas(this.ctx);
    await deliverDueNotices(this.ctx);
    await retryDueReplies(this.ctx);
  }

  private async intake(workspaceId: number): Promise<void> {
    for (let i = 0; i < 1000; i++) if ((await intakeBatch(this.ctx, workspaceId)).read === 0) return;
  }

  private subscribe(workspaceId: number): void {
    if (this.stopped || !this.ctx.config.inbox.jobs || this.subscriptions.has(workspaceId)) return;
    this.subscriptions.set(workspaceId, this.ctx.bus.subscribe(workspaceId, () => void this.enqueue(() => this.intake(workspaceId))));
  }
}
