/** What services and routes receive: the wired-up parts of a running Earshot (built in app.ts). */
import type { Config } from './config.ts';
import type { Db } from './db/connection.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import type { Pipeline } from './pipeline/pipeline.ts';
import type { SourceScheduler } from './pipeline/scheduler.ts';
import type { BrandMatcherCache } from './brands/brand-matcher.ts';
import type { MentionBus } from './mentions/mention-bus.ts';
import type { SourceDeps } from './sources/registry.ts';
import type { EnrichmentRunner } from './enrich/enrich-runner.ts';
import type { AuthGate } from './accounts/auth-gate.ts';
import type { InboxRuntime } from './inbox/inbox-runtime.ts';
import type { RadarRuntime } from './radar/radar-runtime.ts';

export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  pipeline: Pipeline;
  scheduler: SourceScheduler;
  brands: BrandMatcherCache;
  bus: MentionBus;
  sourceDeps: SourceDeps;
  enrich: EnrichmentRunner;
  /** Accounts: whether sign-in is required, who a request's caller is, the login limiter. */
  auth: AuthGate;
  /** Shared inbox: case intake from new mentions, SLA checks, reply delivery and retries. */
  inbox: InboxRuntime;
  /** Crisis radar: streams and detectors fed from the mention bus, alert rules, notification dispatcher. */
  radar: RadarRuntime;
}
