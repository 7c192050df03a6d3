/**
 * The places where SQLite and PostgreSQL need different SQL, side by side behind one function each.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { DialectName } from './connection.ts';

/**
 * Search terms of a user's text, one letter/digit run each ("t-mobile" → t, mobile); `refund*` keeps its prefix
 * star on its last part. Quotes and operators are not passed through to the database.
 */
export function searchWords(text: string): { word: string; prefix: boolean }[] {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}][\p{L}\p{N}_'’-]*\*?/gu) ?? [];
  return words
    .flatMap((w) => {
      const parts = w.match(/[\p{L}\p{N}]+/gu) ?? [];
      return parts.map((word, i) => ({ word, prefix: w.endsWith('*') && i === parts.length - 1 }));
    })
    .slice(0, 16);
}

/**
 * A condition "mention `idColumn` contains every word of `text`" (accent-insensitive in SQLite; PostgreSQL's
 * 'simple' configuration folds case only). Returns null when the text has no searchable word.
 */
export function fullTextCondition(dialect: DialectName, text: string, idColumn = 'm.id', searchColumn = 'm.search'): Expression<SqlBool> | null {
  const words = searchWords(text);
  if (!words.length) return null;
  if (dialect === 'sqlite') {
    // One FTS5 token per term: the index keeps no positions, so there are no multi-token phrases.
    const match = words.map((w) => `"${w.word}"${w.prefix ? '*' : ''}`).join(' ');
    return sql<SqlBool>`${sql.ref(idColumn)} IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ${match})`;
  }
  const query = words.map((w) => `'${w.word}'${w.prefix ? ':*' : ''}`).join(' & ');
  return sql<SqlBool>`${sql.ref(searchColumn)} @@ to_tsquery('simple', ${query})`;
}
