/** What the migrations share: an untyped Kysely (a migration must not depend on today's schema types) and id tables. */
import type { Kysely } from 'kysely';
import type { DialectName } from '../connection.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/** CREATE TABLE with an auto-incrementing integer `id` primary key (SQLite INTEGER AUTOINCREMENT, PostgreSQL SERIAL). */
export function tableWithId(db: AnyDb, dialect: DialectName) {
  return (table: string) =>
    db.schema
      .createTable(table)
      .addColumn('id', dialect === 'sqlite' ? 'integer' : 'serial', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()));
}
