/**
 * The places where SQLite and PostgreSQL need different SQL, side by side behind one function each.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { DialectName } from './connection.ts';

/** Words of a user's search text; `refund*` keeps its prefix star. Quotes and operators are not passed through. */
export function searchWords(text: string): { word: string; prefix: boolean }[] {
  return (text.normalize('NFKC').match(/[\p{L}\p{N}][\p{L}\p{N}_'’-]*\*?/gu) ?? [])
    .slice(0, 16)
    .map((w) => ({ word: w.replace(/\*$/, '').replace(/['’-]+$/, ''), prefix: w.endsWith('*') }))
    .filter((w) => w.word.length > 0);
}

/**
 * A condition "mention `idColumn` contains every word of `text`" (accent-insensitive in SQLite; PostgreSQL's
 * 'simple' configuration folds case only). Returns null when the text has no searchable word.
 */
export function fullTextCondition(dialect: DialectName, text: string, idColumn = 'm.id', searchColumn = 'm.search'): Expression<SqlBool> | null {
  const words = searchWords(text);
  if (!words.length) return null;
  if (dialect === 'sqlite') {
    // One FTS5 token per term (the index keeps no positions, so no multi-token phrases): "t-mobile" → t AND mobile.
    const tokens = words.flatMap((w) => {
      const parts = w.word.match(/[\p{L}\p{N}]+/gu) ?? [];
      return parts.map((p, i) => `"${p}"${w.prefix && i === parts.length - 1 ? '*' : ''}`);
    });
    if (!tokens.length) return null;
    const match = tokens.join(' ');
    return sql<SqlBool>`${sql.ref(idColumn)} IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ${match})`;
  }
  const query = words.map((w) => `'${w.word.replace(/['\\]/g, '')}'${w.prefix ? ':*' : ''}`).join(' & ');
  return sql<SqlBool>`${sql.ref(searchColumn)} @@ to_tsquery('simple', ${query})`;
}
