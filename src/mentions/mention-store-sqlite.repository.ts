/**
 * The mention store's writes on SQLite, as prepared better-sqlite3 statements run one row at a time on the
 * connection behind Kysely (so they belong to the caller's open transaction). Prepared once per connection
 * (`db/sqlite-statements.ts`).
 *
 * The full-text index is written here, as the batch's last statements, rather than by an AFTER INSERT trigger:
 * FTS5 flushes its pending terms to a new on-disk segment at every savepoint, and SQLite opens one for each
 * statement that runs a trigger or checks a foreign key — so a trigger-fed index, or one written between other
 * inserts, keeps writing and merging tiny segments (docs/decisions/0006-ingest-write-path.md). Deletes and text
 * updates still go through triggers (migration 009).
 */
import type SQLite from 'better-sqlite3';
import type { InsertableMentionRow } from '../db/schema.ts';
import { preparedStatement } from '../db/sqlite-statements.ts';
import { authorKey } from './store-keys.ts';
import type { CountRow, MentionInsert, MentionWriteOps, RollupRow } from './mention-store.repository.ts';

/** The columns a draft's row carries; the insert adds author_id, duplicate_of and duplicate_count after them. */
const ROW_COLUMNS = [
  'workspace_id', 'source_id', 'external_id', 'channel', 'url', 'title', 'text', 'published_at', 'ingested_at', 'lang', 'lang_confidence',
  'sentiment', 'sentiment_score', 'likes', 'shares', 'replies', 'views', 'parent_external_id', 'near_hash', 'extra',
] as const satisfies readonly (keyof MentionInsert['row'])[];
const MENTION_COLUMNS = [...ROW_COLUMNS, 'author_id', 'duplicate_of', 'duplicate_count'] as const satisfies readonly (keyof InsertableMentionRow)[];

const SQL = {
  upsertAuthor: `INSERT INTO authors (workspace_id, channel, handle, name, url, followers, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (workspace_id, channel, handle) DO UPDATE SET name = coalesce(excluded.name, authors.name), url = coalesce(excluded.url, authors.url),
    followers = coalesce(excluded.followers, authors.followers), updated_at = excluded.updated_at RETURNING id`,
  // One statement per batch, its keys as a JSON array: a statement per key cost 0.5–1 µs more per mention (store bench).
  findOriginals: `SELECT near_hash AS k, min(id) AS id FROM mentions
    WHERE workspace_id = ? AND near_hash IN (SELECT value FROM json_each(?)) AND duplicate_of IS NULL GROUP BY near_hash`,
  // No RETURNING: SQLite collects RETURNING rows in a temporary b-tree, ≈ 4 µs per row at import rates (a third of
  // the insert); the new id is the connection's last insert rowid (bench/store.bench.ts; `BENCH_RETURNING=1` measures the old way).
  insertMention: `INSERT INTO mentions (${MENTION_COLUMNS.join(', ')}) VALUES (${MENTION_COLUMNS.map(() => '?').join(', ')})
    ON CONFLICT (source_id, external_id) DO NOTHING`,
  indexMention: 'INSERT INTO mentions_fts (rowid, title, text) VALUES (?, ?, ?)',
  bumpDuplicates: 'UPDATE mentions SET duplicate_count = duplicate_count + ? WHERE id = ?',
  insertLink: 'INSERT INTO mention_brands (mention_id, brand_id, published_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  addCount: `INSERT INTO mention_counts (brand_id, bucket, sentiment, lang, source_id, n) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (brand_id, bucket, sentiment, lang, source_id) DO UPDATE SET n = mention_counts.n + excluded.n`,
  addRollup: `INSERT INTO mention_rollups (brand_id, grain, bucket, dim, value, n) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (brand_id, grain, dim, bucket, value) DO UPDATE SET n = mention_rollups.n + excluded.n`,
};

/** The store's statements on this connection (prepared on first use, then reused). */
function statements(db: SQLite.Database) {
  return {
    upsertAuthor: preparedStatement<{ id: number }>(db, SQL.upsertAuthor),
    findOriginals: preparedStatement<{ k: string; id: number }>(db, SQL.findOriginals),
    insertMention: preparedStatement(db, SQL.insertMention),
    indexMention: preparedStatement(db, SQL.indexMention),
    bumpDuplicates: preparedStatement(db, SQL.bumpDuplicates),
    insertLink: preparedStatement(db, SQL.insertLink),
    addCount: preparedStatement(db, SQL.addCount),
    addRollup: preparedStatement(db, SQL.addRollup),
  };
}

export function sqliteWriteOps(db: SQLite.Database): MentionWriteOps {
  const s = statements(db);
  return {
    upsertAuthors: async (workspaceId, authors, now) => {
      const ids = new Map<string, number>();
      for (const a of authors) ids.set(authorKey(a), s.upsertAuthor.get(workspaceId, a.channel, a.handle, a.name, a.url, a.followers, now, now)!.id);
      return ids;
    },
    findOriginals: async (workspaceId, keys) => {
      const found = new Map<string, number>();
      if (keys.size) for (const r of s.findOriginals.all(workspaceId, JSON.stringify([...keys]))) found.set(r.k, r.id);
      return found;
    },
    insertMentions: async (rows) => insertMentions(s, rows),
    indexText: async (stored) => {
      for (const m of stored) s.indexMention.run(m.id, m.draft.row.title, m.draft.row.text);
    },
    bumpDuplicateCounts: async (perOriginal) => {
      for (const [id, n] of perOriginal) s.bumpDuplicates.run(n, id);
    },
    insertBrandLinks: async (stored) => {
      for (const m of stored) for (const brandId of m.draft.brandIds) s.insertLink.run(m.id, brandId, m.draft.row.published_at);
    },
    addCounts: async (counts: CountRow[], rollups: RollupRow[]) => {
      for (const c of counts) s.addCount.run(c.brand_id, c.bucket, c.sentiment, c.lang, c.source_id, c.n);
      for (const r of rollups) s.addRollup.run(r.brand_id, r.grain, r.bucket, r.dim, r.value, r.n);
    },
  };
}

function insertMentions(s: ReturnType<typeof statements>, rows: MentionInsert[]): (number | undefined)[] {
  return rows.map(({ row: r, authorId, duplicateOf }) => {
    // In MENTION_COLUMNS order, as arguments: better-sqlite3 reads an array's elements through the V8 API one by one
    // (1.3 to 2.5 µs more per row of 23 values in an insert into an in-memory table), and `row[column]` over the
    // column names is a megamorphic lookup per value.
    const done = s.insertMention.run(
      r.workspace_id, r.source_id, r.external_id, r.channel, r.url ?? null, r.title ?? null, r.text, r.published_at, r.ingested_at, r.lang ?? null,
      r.lang_confidence ?? null, r.sentiment ?? null, r.sentiment_score ?? null, r.likes ?? null, r.shares ?? null, r.replies ?? null, r.views ?? null,
      r.parent_external_id ?? null, r.near_hash ?? null, r.extra ?? null, authorId, duplicateOf, 0,
    );
    // No change: stored before ((source_id, external_id) already there).
    return done.changes ? Number(done.lastInsertRowid) : undefined;
  });
}
