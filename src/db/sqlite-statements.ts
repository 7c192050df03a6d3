/**
 * Prepared better-sqlite3 statements, prepared once per connection and SQL text. For hot write paths where
 * compiling a Kysely query per call (and preparing it anew, as Kysely's SQLite driver does) costs more than the
 * statement itself; the statements run on the connection behind Kysely, inside its open transaction.
 */
import type SQLite from 'better-sqlite3';

const cache = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

export function preparedStatement<R = unknown>(db: SQLite.Database, text: string): SQLite.Statement<unknown[], R> {
  let forDb = cache.get(db);
  if (!forDb) cache.set(db, (forDb = new Map()));
  let s = forDb.get(text);
  if (!s) forDb.set(text, (s = db.prepare(text)));
  return s as SQLite.Statement<unknown[], R>;
}
