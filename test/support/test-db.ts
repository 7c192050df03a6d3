/**
 * Test databases: every repository test runs its body once per dialect in DIALECTS — SQLite in memory
 * always, and the real PostgreSQL server when TEST_DATABASE_URL is set (CI sets it). Each PostgreSQL
 * test database is a fresh schema, so test files can run in parallel.
 */
import crypto from 'node:crypto';
import type { DatabaseConfig } from '../../src/config.ts';
import { openDb, type Db, type DialectName } from '../../src/db/connection.ts';
import { migrateToLatest, migrateUpTo, type MigrationName } from '../../src/db/migrate.ts';

export const PG_URL = process.env.TEST_DATABASE_URL;
export const DIALECTS: DialectName[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb extends Db {
  /** Config-shaped description of this database, for starting a full app against it. */
  databaseConfig: DatabaseConfig;
}

/** A migrated test database; `upTo` stops after that migration (tests of a later one over older data). */
export async function openTestDb(dialect: DialectName, sqlitePath = ':memory:', upTo?: MigrationName): Promise<TestDb> {
  const migrate = (db: Db) => (upTo ? migrateUpTo(db, upTo) : migrateToLatest(db));
  if (dialect === 'sqlite') {
    const db = await openDb({ kind: 'sqlite', path: sqlitePath });
    await migrate(db);
    return Object.assign(db, { databaseConfig: { kind: 'sqlite' as const, path: sqlitePath } });
  }
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const databaseConfig: DatabaseConfig = { kind: 'postgres', url: PG_URL, schema };
  const db = await openDb(databaseConfig);
  await migrate(db);
  return { ...db, databaseConfig };
}

/**
 * Test schemas are not dropped while tests run: a DROP SCHEMA racing another file's migration makes Kysely's
 * catalog introspection fail ("schema t_… does not exist"). scripts/run-tests.mjs drops every `t_…` schema
 * before and after a run instead.
 */
export const TEST_SCHEMA_PATTERN = '^t_[0-9a-f]{12}$';
