/**
 * The real thing around a connector under test: `createContext` (pipeline, scheduler, SQLite or
 * PostgreSQL through `openTestDb`), a workspace with a brand, and helpers to run a source and read back what
 * was stored. `restart()` closes the whole context and opens a new one on the same database, as a process
 * restart would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../src/app.ts';
import type { AppContext } from '../../src/app-context.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { DialectName } from '../../src/db/connection.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { RunReport } from '../../src/pipeline/scheduler.ts';
import { insertBrand } from '../../src/brands/brand.repository.ts';
import { insertWorkspace } from '../../src/workspaces/workspace.repository.ts';
import { getSourceById, type SourceRecord } from '../../src/sources/source.repository.ts';
import { createSource } from '../../src/sources/source.service.ts';
import { openTestDb, type TestDb } from '../support/test-db.ts';

/** A clock that only moves when told: schedules computed from it can be asserted exactly. */
export class ManualClock implements Clock {
  constructor(public t: number) {}
  now = (): number => this.t;
}

export interface Harness {
  ctx: AppContext;
  clock: ManualClock;
  workspaceId: number;
  brandId: number;
  addSource(kind: string, settings: Record<string, unknown>): Promise<number>;
  /** Runs the source once; `stopAfterBatches` aborts the read after that many committed batches. */
  run(sourceId: number, stopAfterBatches?: number): Promise<RunReport>;
  source(sourceId: number): Promise<SourceRecord>;
  externalIds(sourceId: number): Promise<string[]>;
  deadLetters(sourceId: number): Promise<{ stage: string; error: string; external_id: string | null }[]>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function openHarness(dialect: DialectName, now: number, env: Record<string, string> = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-conf-'));
  const testDb: TestDb = await retryRace(() => openTestDb(dialect, path.join(dir, 'earshot.db')));
  const config: Config = {
    ...loadConfig({}, { LOG_LEVEL: 'silent', FETCH_ALLOW_PRIVATE: 'loopback', FETCH_TIMEOUT_MS: '2500', RUN_SOURCES: 'false', ...env }),
    database: testDb.databaseConfig,
  };
  const clock = new ManualClock(now);
  const open = () => retryRace(() => createContext(config, { clock, enrichers: [] }));
  let sources = 0;
  let ctx = await open();
  const ws = await insertWorkspace(ctx.db.kysely, 'Conformance', now);
  const brand = await insertBrand(ctx.db.kysely, ws.id, { name: 'Acme', kind: 'own', query: 'acme', languages: [] }, now);
  const h: Harness = {
    get ctx() {
      return ctx;
    },
    clock,
    workspaceId: ws.id,
    brandId: brand.id,
    async addSource(kind, settings) {
      // A fixed brand: every item is stored, so counts say what the connector delivered.
      const s = await createSource(ctx, ws.id, { kind, name: `${kind} under test ${++sources}`, settings, brandId: brand.id });
      return s.id;
    },
    async run(sourceId, stopAfterBatches) {
      const abort = new AbortController();
      return ctx.scheduler.runNow(sourceId, abort.signal, (r) => {
        if (stopAfterBatches !== undefined && r.batches >= stopAfterBatches) abort.abort();
      });
    },
    source: (id) => getSourceById(ctx.db.kysely, ws.id, id),
    async externalIds(sourceId) {
      const rows = await ctx.db.kysely.selectFrom('mentions').select('external_id').where('source_id', '=', sourceId).orderBy('id').execute();
      return rows.map((r) => r.external_id);
    },
    deadLetters: (sourceId) => ctx.db.kysely.selectFrom('dead_letters').select(['stage', 'error', 'external_id']).where('source_id', '=', sourceId).orderBy('id').execute(),
    async restart() {
      await ctx.scheduler.stop();
      await ctx.db.close();
      ctx = await open();
    },
    async close() {
      await ctx.scheduler.stop();
      await ctx.db.close();
      await testDb.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/**
 * Kysely's PostgreSQL introspection (run by the migrator) scans every schema of the database; when another
 * test drops its schema during that scan, the scan fails with "schema … does not exist". Retry that race.
 */
async function retryRace<T>(open: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (err) {
      if (attempt >= 4 || !/schema "t_[0-9a-f]+" does not exist/.test(String((err as Error).message))) throw err;
    }
  }
}
