/**
 * Applies the migrations in order, once each, recording them in Kysely's migration table.
 * Migrations are TypeScript modules receiving the dialect, so both databases share one list.
 */
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './connection.ts';
import * as m001 from './migrations/001-core.ts';
import * as m004 from './migrations/004-inbox.ts';
import * as m002 from './migrations/002-overview-rollups.ts';
import * as m003 from './migrations/003-radar.ts';
import * as m005 from './migrations/005-drop-redundant-author-index.ts';
import * as m006 from './migrations/006-corrections.ts';
import * as m007 from './migrations/007-inbox-notices-and-handles.ts';
import * as m009 from './migrations/009-store-writes-rollups.ts';
import * as m010 from './migrations/010-partial-parent-index.ts';
import * as m011 from './migrations/011-leaner-mention-indexes.ts';

type DialectMigration = { up(db: Parameters<typeof m001.up>[0], dialect: Db['dialect']): Promise<void> };

const MIGRATIONS = {
  '001-core': m001,
  '004-inbox': m004,
  '002-overview-rollups': m002,
  '003-radar': m003,
  '005-drop-redundant-author-index': m005,
  '006-corrections': m006,
  '007-inbox-notices-and-handles': m007,
  '009-store-writes-rollups': m009,
  '010-partial-parent-index': m010,
  '011-leaner-mention-indexes': m011,
} satisfies Record<string, DialectMigration>;

export type MigrationName = keyof typeof MIGRATIONS;

export interface MigrationReport {
  applied: string[];
  pending: number;
}

export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  return report(await migrator(db).migrateToLatest());
}

/** Applies the migrations up to and including `name` (tests of a migration over data stored before it). */
export async function migrateUpTo(db: Db, name: MigrationName): Promise<MigrationReport> {
  return report(await migrator(db).migrateTo(name));
}

function migrator(db: Db): Migrator {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(MIGRATIONS)) out[name] = { up: (k) => m.up(k, db.dialect) };
      return out;
    },
  };
  // Kysely looks for its bookkeeping tables by introspection across schemas; name ours, or a lock table in
  // another schema of the same database would be taken for this one.
  // Unordered: a database migrated while migrations landed out of order (004 before 003) still catches up.
  return new Migrator({ db: db.kysely, provider, allowUnorderedMigrations: true, ...(db.schema ? { migrationTableSchema: db.schema } : {}) });
}

function report({ error, results }: MigrationResultSet): MigrationReport {
  if (error) throw new Error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName), pending: 0 };
}
