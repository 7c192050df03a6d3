/**
 * Starts the real application for a test: real database (SQLite in memory, or a fresh PostgreSQL schema),
 * real HTTP server on a free loopback port, source scheduler off unless asked for.
 */
import crypto from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { createApp, type RunningApp } from '../../src/app.ts';
import { createLogger } from '../../src/lib/logger.ts';
import type { Enricher } from '../../src/enrich/enricher.ts';
import { languageEnricher } from '../../src/enrich/language.enricher.ts';
import type { DialectName } from '../../src/db/connection.ts';
import { PG_URL } from './test-db.ts';

export interface TestApp {
  app: RunningApp;
  url: string;
  close(): Promise<void>;
  /** fetch against the app with JSON in and out. */
  api<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
}

export async function startTestApp(
  dialect: DialectName,
  env: Record<string, string> = {},
  /** enrichers: 'default' runs the default models of the ENRICH profile (in worker threads), as in production. */
  options: { enrichers?: readonly Enricher[] | 'default' } = {},
): Promise<TestApp> {
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const dbEnv = dialect === 'sqlite' ? { DB_PATH: ':memory:' } : { DATABASE_URL: PG_URL!, DATABASE_SCHEMA: schema };
  const config = loadConfig({}, { PORT: '0', RUN_SOURCES: 'false', LOG_LEVEL: 'silent', ...dbEnv, ...env });
  const enrichers = options.enrichers === 'default' ? {} : { enrichers: options.enrichers ?? [languageEnricher] };
  const app = await createApp(config, { logger: createLogger('silent'), ...enrichers });
  const url = await app.listen();
  return {
    app,
    url,
    // The PostgreSQL schema is left for scripts/run-tests.mjs to drop (see test-db.ts).
    close: () => app.close(),
    async api(method, path, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
    },
  };
}
