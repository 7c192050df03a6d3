/**
 * The crisis radar as the application runs it: the stream/alert service counting inside the pipeline's batch transactions
 * (started with the context, so every process that stores mentions keeps its streams current), and, once the
 * app listens, the bucket ticker and the notification dispatcher with its retry timer.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/connection.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { SafeFetch } from '../lib/safe-fetch.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import { AlertDispatcher } from '../alerts/alert-dispatcher.ts';
import { emailNotifier } from '../alerts/notifiers/email.notifier.ts';
import { slackNotifier } from '../alerts/notifiers/slack.notifier.ts';
import { webhookNotifier } from '../alerts/notifiers/webhook.notifier.ts';
import { RadarService } from './radar.service.ts';
import type { ChannelKind } from './radar.schema.ts';
import type { Notifier } from '../alerts/notifiers/notifier.ts';

export interface RadarRuntimeDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  /** The radar counts inside the pipeline's batch transactions. */
  pipeline: Pipeline;
  /** Outbound HTTP for webhook and Slack targets (the SSRF-guarded fetch). */
  fetch: SafeFetch;
}

export class RadarRuntime {
  readonly service: RadarService;
  readonly dispatcher: AlertDispatcher;
  /** One notifier per channel kind (also used to send a channel's test message). */
  readonly notifiers: Record<ChannelKind, Notifier>;

  constructor(deps: RadarRuntimeDeps) {
    const notifiers = this.notifiers = { webhook: webhookNotifier(deps.fetch), slack: slackNotifier(deps.fetch), email: emailNotifier(deps.config.smtp) };
    this.dispatcher = new AlertDispatcher({ db: deps.db, clock: deps.clock, logger: deps.logger, notifiers });
    this.service = new RadarService({ db: deps.db, clock: deps.clock, logger: deps.logger, pipeline: deps.pipeline, afterCommit: () => this.dispatcher.kick() });
    this.service.start();
  }

  /** Timers: close quiet buckets every minute, retry deliveries every 15 s. */
  startJobs(): void {
    this.service.startTicker();
    this.dispatcher.start();
    this.dispatcher.kick();
  }

  /** Stops listening and timers; resolves when the work in progress is done. */
  async stop(): Promise<void> {
    await this.service.stop();
    await this.dispatcher.stop();
  }

  /** Resolves when queued rounds and sends are done (tests). */
  async idle(): Promise<void> {
    await this.service.idle();
    await this.dispatcher.idle();
  }
}
