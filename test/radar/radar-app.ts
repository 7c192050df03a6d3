/**
 * Test support for the radar: the real application (createApp) on SQLite in memory or a fresh PostgreSQL
 * schema, with a settable clock so that a replay can move time at its own pace, and helpers to build
 * workspaces, brands and mention batches.
 */
import crypto from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { createApp, type RunningApp } from '../../src/app.ts';
import { createLogger } from '../../src/lib/logger.ts';
import type { Enricher } from '../../src/enrich/enricher.ts';
import type { DialectName } from '../../src/db/connection.ts';
import { insertWorkspace } from '../../src/workspaces/workspace.repository.ts';
import { createBrand } from '../../src/brands/brand.service.ts';
import { createSource } from '../../src/sources/source.service.ts';
import type { PipelineContext } from '../../src/pipeline/pipeline.ts';
import { PG_URL } from '../support/test-db.ts';

export interface ManualClock {
  now(): number;
  set(t: number): void;
}

export function manualClock(start: number): ManualClock {
  let t = start;
  return { now: () => t, set: (v: number) => void (t = v) };
}

export interface RadarTestApp {
  app: RunningApp;
  clock: ManualClock;
  url: string | null;
  ws: number;
  brand: number;
  pctx: PipelineContext;
  close(): Promise<void>;
}

/** Starts the app (listening only when `listen`), with one workspace, one brand and one webhook source feeding that brand. */
export async function startRadarApp(dialect: DialectName, o: { start: number; enrichers: readonly Enricher[]; env?: Record<string, string>; listen?: boolean }): Promise<RadarTestApp> {
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const dbEnv = dialect === 'sqlite' ? { DB_PATH: ':memory:' } : { DATABASE_URL: PG_URL!, DATABASE_SCHEMA: schema };
  const config = loadConfig({}, { PORT: '0', RUN_SOURCES: 'false', LOG_LEVEL: 'silent', INBOX_JOBS: 'false', ...dbEnv, ...(o.env ?? {}) });
  const clock = manualClock(o.start);
  const app = await createApp(config, { logger: createLogger('silent'), enrichers: o.enrichers, clock });
  const url = o.listen ? await app.listen() : null;
  const ctx = app.ctx;
  const ws = (await insertWorkspace(ctx.db.kysely, 'Radar', o.start)).id;
  const brand = (await createBrand(ctx, ws, { name: 'US airlines', query: 'airline' })).id;
  const source = (await createSource(ctx, ws, { kind: 'webhook', name: 'replay', settings: {}, brandId: brand })).id;
  return {
    app, clock, url, ws, brand,
    pctx: { workspaceId: ws, sourceId: source, sourceKind: 'webhook', fixedBrandId: brand },
    // The PostgreSQL schema is dropped by scripts/run-tests.mjs, not here (see test/support/test-db.ts).
    close: () => app.close(),
  };
}
