/**
 * Composition root: opens the database (migrations on start), wires the pipeline, the source scheduler and
 * the HTTP server. `createApp` is what `earshot serve`, the CLI commands and the tests start.
 */
import type { Config } from './config.ts';
import { openDb } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createSafeFetch } from './lib/safe-fetch.ts';
import { BrandMatcherCache } from './brands/brand-matcher.ts';
import { MentionBus } from './mentions/mention-bus.ts';
import { Pipeline } from './pipeline/pipeline.ts';
import { SourceScheduler } from './pipeline/scheduler.ts';
import type { Enricher } from './enrich/enricher.ts';
import { inlineRunner, workerRunner } from './enrich/enrich-runner.ts';
import type { AppContext } from './app-context.ts';
import { buildServer, type App } from './http/server.ts';
import { RadarRuntime } from './radar/radar-runtime.ts';
import { AuthGate } from './accounts/auth-gate.ts';
import { InboxRuntime } from './inbox/inbox-runtime.ts';
import { workspaceModelsOf } from './corrections/workspace-models.runtime.ts';

export interface AppOptions {
  logger?: Logger;
  clock?: Clock;
  enrichers?: readonly Enricher[];
}

export interface RunningApp {
  ctx: AppContext;
  http: App;
  /** Starts listening (and the source scheduler when config.runSources). @returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Opens and migrates the database and wires everything; nothing listens or polls until `listen()`. */
export async function createContext(config: Config, options: AppOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const db = await openDb(config.database);
  await migrateToLatest(db);
  const bus = new MentionBus();
  const brands = new BrandMatcherCache(db.kysely, clock);
  // Custom enrichers (tests) run inline; the default models also run in a worker thread for large batches.
  const enrich = options.enrichers
    ? inlineRunner(options.enrichers)
    : workerRunner(async () => (await import('./enrich/default-enrichers.ts')).defaultEnrichers(config.enrich), { profile: config.enrich });
  const pipeline = new Pipeline({ db, enrich, brands, bus, clock, logger });
  const safeFetch = createSafeFetch(config.fetch);
  const sourceDeps = { clock, fetch: safeFetch, batchSize: config.ingestBatchSize, importBatchSize: config.importBatchSize, pollIntervalSeconds: config.pollIntervalSeconds };
  const scheduler = new SourceScheduler({ db, pipeline, clock, logger, sourceDeps, importTransactionSize: config.importTransactionSize });
  const auth = new AuthGate(db.kysely, config.auth, logger);
  const radar = new RadarRuntime({ config, db, clock, logger, pipeline, fetch: safeFetch });
  const ctx: AppContext = { config, db, clock, logger, pipeline, scheduler, brands, bus, sourceDeps, enrich, auth, radar, inbox: null as unknown as InboxRuntime };
  ctx.inbox = new InboxRuntime(ctx);
  // Workspaces with their own model (agents' corrections) get it applied to their new mentions.
  await workspaceModelsOf(ctx).start();
  return ctx;
}

/** Stops the background work (sources, inbox jobs, radar rounds, the enrichment worker), then closes the database. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.scheduler.stop();
  await ctx.inbox.stop();
  await ctx.radar.stop();
  await ctx.enrich.close();
  workspaceModelsOf(ctx).stop();
  await workspaceModelsOf(ctx).idle();
  await ctx.db.close();
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const ctx = await createContext(config, options);
  const http = await buildServer(ctx);
  return {
    ctx,
    http,
    async listen() {
      const address = await http.listen({ port: config.port, host: config.host });
      if (config.runSources) ctx.scheduler.start();
      await ctx.auth.start(ctx.clock.now());
      ctx.inbox.start();
      ctx.radar.startJobs();
      return address.replace('[::1]', 'localhost');
    },
    async close() {
      await http.close();
      await closeContext(ctx);
    },
  };
}
