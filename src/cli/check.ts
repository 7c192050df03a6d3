/** `earshot check`: a pre-start check an operator can run before `serve` (configuration, database, migrations). */
import path from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import { openDb, pingDb, type Db } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { errorMessage } from '../lib/errors.ts';

async function step<T>(label: string, run: () => Promise<T> | T): Promise<T | undefined> {
  try {
    const value = await run();
    console.log(`✓ ${label}`);
    return value;
  } catch (err) {
    console.log(`✗ ${label}: ${errorMessage(err)}`);
    return undefined;
  }
}

export async function runChecks(opts: { db?: string }): Promise<boolean> {
  const config = await step<Config>('configuration', () => loadConfig(process.env, opts.db ? { DB_PATH: path.resolve(opts.db) } : {}));
  if (!config) return false;
  const db = await step<Db>(`database ${config.database.kind === 'sqlite' ? config.database.path : new URL(config.database.url).host}`, async () => {
    const d = await openDb(config.database);
    await pingDb(d);
    return d;
  });
  if (!db) return false;
  try {
    const migrated = await step('migrations', async () => migrateToLatest(db));
    return migrated !== undefined;
  } finally {
    await db.close();
  }
}
