/**
 * Applies each workspace's own model to its new mentions. The ingest pipeline enriches with the base models
 * (it does not know workspaces while enriching); for a workspace with a model, this runtime listens on the
 * mention bus and, right after each batch commits, re-enriches the new mentions with the workspace's chain
 * and relabels those whose sentiment, topics or intents change. So the adjusted labels are in the database
 * moments after the mention is stored; listeners that read the very same batch from the bus (the live
 * stream) still see the base labels.
 *
 * The base models are loaded in this thread only once some workspace has a model. Other processes learn of
 * a workspace's new model when they start (models are read from the database then).
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { SYSTEM_PRINCIPAL } from '../accounts/permissions.ts';
import { retrainWorkspaceModel } from './correction.service.ts';
import type { Enricher } from '../enrich/enricher.ts';
import { runEnrichers } from '../enrich/enricher.ts';
import type { ModelBundle } from '../enrich/model-store.ts';
import { loadModelBundle } from '../enrich/model-store.ts';
import type { WorkspaceModel } from '../enrich/adapt/workspace-model.ts';
import { parseJson } from '../db/json.ts';
import { errorMessage } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mention } from '../mentions/mention.ts';
import type { MentionBus } from '../mentions/mention-bus.ts';
import { getMentionLabels, getWorkspaceModel, listWorkspacesWithModels, relabelMention } from './correction.repository.ts';
import type { Database } from './correction.tables.ts';

export interface WorkspaceModelDeps {
  db: Kysely<Database>;
  bus: MentionBus;
  logger: Logger;
  /** The base models (default: `models/`, loaded on first need). */
  loadBundle?: () => ModelBundle;
  /** Retrains a workspace's model from all its corrections (correction.service.ts); used by the retrain job. */
  retrain?: (workspaceId: number) => Promise<unknown>;
  /** The retrain job runs this long after a workspace's last correction (0 = no job). */
  retrainDelayMs?: number;
}

/** Corrections usually come in bursts (an agent going through a list): retrain a minute after the last one. */
export const RETRAIN_DELAY_MS = 60_000;

export class WorkspaceModelRuntime {
  private bundle: ModelBundle | undefined;
  private readonly chains = new Map<number, Enricher[] | null>();
  private readonly subscriptions = new Map<number, () => void>();
  private work: Promise<void> = Promise.resolve();
  private readonly due = new Map<number, NodeJS.Timeout>();

  constructor(private readonly deps: WorkspaceModelDeps) {}

  /**
   * The retrain job: a correction was stored, so retrain the workspace's model once no correction came for
   * `retrainDelayMs`. In this process only (the one that stored the correction); retraining is deterministic,
   * so two processes retraining the same workspace store the same model.
   */
  correctionStored(workspaceId: number): void {
    const delay = this.deps.retrainDelayMs ?? RETRAIN_DELAY_MS;
    if (!this.deps.retrain || delay <= 0) return;
    clearTimeout(this.due.get(workspaceId));
    this.due.set(workspaceId, setTimeout(() => void this.retrainNow(workspaceId), delay).unref());
  }

  /** Runs every scheduled retraining now (shutdown; tests). */
  async flushRetrains(): Promise<void> {
    const ids = [...this.due.keys()];
    for (const id of ids) await this.retrainNow(id);
  }

  private async retrainNow(workspaceId: number): Promise<void> {
    clearTimeout(this.due.get(workspaceId));
    this.due.delete(workspaceId);
    try {
      await this.deps.retrain?.(workspaceId);
    } catch (err) {
      this.deps.logger.error({ workspaceId, err: errorMessage(err) }, 'workspace model: scheduled retraining failed');
    }
  }

  /** Watches every workspace that already has a model. */
  async start(): Promise<void> {
    for (const ws of await listWorkspacesWithModels(this.deps.db)) this.watch(ws);
  }

  /** Stops listening; scheduled retrainings are dropped (the corrections stay pending for the next one). */
  stop(): void {
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    for (const timer of this.due.values()) clearTimeout(timer);
    this.due.clear();
  }

  /** The base models, loaded once. */
  baseBundle(): ModelBundle {
    return (this.bundle ??= (this.deps.loadBundle ?? loadModelBundle)());
  }

  /** A workspace's model changed: rebuild its chain on next use and make sure its new mentions are watched. */
  modelChanged(workspaceId: number): void {
    this.chains.delete(workspaceId);
    this.watch(workspaceId);
  }

  /** Resolves when every batch heard so far has been adjusted (tests, shutdown). */
  idle(): Promise<void> {
    return this.work;
  }

  /** The workspace's enrichment chain, or null when it has no model. */
  async enrichersFor(workspaceId: number): Promise<Enricher[] | null> {
    if (this.chains.has(workspaceId)) return this.chains.get(workspaceId) as Enricher[] | null;
    const stored = await getWorkspaceModel(this.deps.db, workspaceId);
    const model = stored ? parseJson<WorkspaceModel | null>(stored.model, null) : null;
    // Imported on first use: the enrichment chain (and the language fallback's tables) stays out of the main
    // thread of processes whose workspaces have no model of their own.
    const chain = model ? (await import('../enrich/adapt/workspace-enrichers.ts')).workspaceEnrichers(this.baseBundle(), model) : null;
    this.chains.set(workspaceId, chain);
    return chain;
  }

  private watch(workspaceId: number): void {
    if (this.subscriptions.has(workspaceId)) return;
    this.subscriptions.set(workspaceId, this.deps.bus.subscribe(workspaceId, (mentions) => {
      this.work = this.work.then(() => this.adjust(workspaceId, mentions)).catch((err: unknown) => {
        this.deps.logger.error({ workspaceId, err: errorMessage(err) }, 'workspace model: adjusting new mentions failed');
      });
    }));
  }

  private async adjust(workspaceId: number, mentions: Mention[]): Promise<void> {
    const chain = await this.enrichersFor(workspaceId);
    if (!chain) return;
    const changed = mentions.flatMap((m) => {
      const e = runEnrichers(chain, { text: m.text, title: m.title, lang: m.lang });
      const same = e.sentiment?.label === m.sentiment?.label && e.topics.join() === m.topics.join() && e.intents.join() === m.intents.join();
      return same ? [] : [{ id: m.id, next: { sentiment: e.sentiment?.label ?? null, sentimentScore: e.sentiment?.score ?? null, topics: e.topics, intents: e.intents } }];
    });
    if (!changed.length) return;
    await this.deps.db.transaction().execute(async (trx) => {
      for (const c of changed) await relabelMention(trx, await getMentionLabels(trx, workspaceId, c.id), c.next);
    });
  }
}

// One runtime per application context, created by the composition root (app.ts) and found by the routes.
const runtimes = new WeakMap<object, WorkspaceModelRuntime>();

/** The runtime of `ctx`, created on first use. */
export function workspaceModelsOf(ctx: AppContext): WorkspaceModelRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    const created: WorkspaceModelRuntime = new WorkspaceModelRuntime({
      db: ctx.db.kysely as unknown as Kysely<Database>, bus: ctx.bus, logger: ctx.logger,
      retrain: (workspaceId) => retrainWorkspaceModel(ctx, created, SYSTEM_PRINCIPAL, workspaceId),
    });
    runtimes.set(ctx, (runtime = created));
  }
  return runtime;
}
