/**
 * Opens the database named by the config: SQLite (better-sqlite3, default) or PostgreSQL (pg).
 * The rest of the code sees one `Db` with a Kysely instance and the dialect name; the few places where
 * SQL differs between the two ask `db.dialect` and keep both versions side by side (see `dialect-sql.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Driver } from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import type { Database } from './schema.ts';
import { SAFETY_NET_PAGES, startCheckpointer } from './checkpointer.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** Human-readable location without credentials, for logs and the health endpoint. */
  readonly describe: string;
  /** PostgreSQL only: the schema in use (public unless configured). */
  readonly schema?: string;
  /**
   * SQLite only: the better-sqlite3 handle behind `kysely` (one connection). Hot write paths run prepared
   * statements on it directly; inside a Kysely transaction they are part of that transaction.
   */
  readonly sqlite?: SQLite.Database;
  /**
   * Whether a query is waiting for the connection because a transaction holds it (SQLite: one connection). A long
   * transaction that can stop early — a bulk import's group of batches — ends when this turns true, so the API
   * waits for one batch rather than a whole group. Always false on PostgreSQL (a pool of connections).
   */
  connectionWanted(): boolean;
  close(): Promise<void>;
}

// BIGINT (int8) and NUMERIC come back from pg as strings; every such value here is a count or an epoch-ms
// time well inside Number.MAX_SAFE_INTEGER, so parse them to numbers like SQLite returns them.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** Opens the database; for PostgreSQL with a `schema`, that schema is created if missing and used. */
export async function openDb(database: DatabaseConfig): Promise<Db> {
  if (database.kind === 'sqlite') return openSqlite(database.path);
  return openPostgres(database.url, database.schema);
}

function openSqlite(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Statement journals in memory: an insert into a table with unique indexes and foreign keys keeps a statement
  // journal of every page it touches, and with the default (a temporary file) a bulk import made ~15 write
  // calls per mention — 15 µs of kernel time per mention (decision 0006).
  sqlite.pragma('temp_store = MEMORY');
  // 64 MiB page cache: index maintenance on large imports stops re-reading pages (measured: +20 % ingest).
  sqlite.pragma('cache_size = -65536');
  // WAL checkpoints run in a thread of their own (checkpointer.ts); without one, every ~40 MB instead of every 4 MB:
  // fewer page copies during large imports.
  const checkpointer = file === ':memory:' ? null : startCheckpointer(file);
  sqlite.pragma(`wal_autocheckpoint = ${checkpointer ? SAFETY_NET_PAGES : 10_000}`);
  const dialect = new WaitCountingSqliteDialect({ database: sqlite });
  const kysely = new Kysely<Database>({ dialect });
  const close = async () => {
    await checkpointer?.stop();
    await kysely.destroy();
  };
  return { kysely, dialect: 'sqlite', describe: `sqlite:${file}`, sqlite, connectionWanted: () => dialect.waiting() > 0, close };
}

async function openPostgres(url: string, schema?: string): Promise<Db> {
  if (schema) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return { kysely, dialect: 'postgres', describe: `postgres://${u.host}${u.pathname}`, schema: schema ?? 'public', connectionWanted: () => false, close: () => kysely.destroy() };
}

/** Kysely's SQLite dialect, whose driver also counts the callers waiting for its one connection. */
class WaitCountingSqliteDialect extends SqliteDialect {
  private waiters = 0;

  override createDriver(): Driver {
    const driver = super.createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    driver.acquireConnection = async () => {
      this.waiters++;
      try {
        return await acquire();
      } finally {
        this.waiters--;
      }
    };
    return driver;
  }

  waiting(): number {
    return this.waiters;
  }
}

/** Cheap round trip used by the health endpoint. @throws when the database cannot be reached. */
export async function pingDb(db: Db): Promise<void> {
  await sql`select 1`.execute(db.kysely);
}
