/**
 * The write side of mentions: stores one pipeline batch — authors, mentions (+ full-text index), brand links,
 * per-bucket counts and their roll-ups, dead letters — inside the caller's transaction. Inserts are idempotent
 * on (source_id, external_id): an item delivered twice is stored once and reported as already known.
 *
 * What to write is decided here, once, for both dialects; how it is written is a `MentionWriteOps`:
 * Kysely statements (PostgreSQL), or prepared better-sqlite3 statements on SQLite
 * (`mention-store-sqlite.repository.ts`), where building and compiling a multi-row Kysely insert per chunk
 * cost more than the inserts themselves.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, InsertableMentionRow, MentionCountTable, MentionRollupTable, MentionRow } from '../db/schema.ts';
import type { Db } from '../db/connection.ts';
import { sqliteWriteOps } from './mention-store-sqlite.repository.ts';
import type { AuthorBatch, AuthorDraft } from './author-cache.ts';
import { authorKey, mentionKey } from './store-keys.ts';
import { toMention, type Mention } from './mention.ts';

/** A mention ready to store: normalized, matched to brands and enriched. */
export interface MentionDraft {
  row: Omit<MentionRow, 'id' | 'author_id' | 'duplicate_of' | 'duplicate_count'>;
  author: AuthorDraft | null;
  brandIds: number[];
  /** The complaint topics found (also inside `row.extra`), for whoever counts per topic. */
  topics: string[];
}

export interface DeadLetterDraft {
  sourceId: number | null;
  externalId: string | null;
  stage: string;
  error: string;
  payload: unknown;
}

/** A mention row to insert: the draft's row with its author and, for a near-duplicate, its original. */
export interface MentionInsert {
  row: MentionDraft['row'];
  authorId: number | null;
  duplicateOf: number | null;
}

export interface StoredMention {
  id: number;
  draft: MentionDraft;
  authorId: number | null;
  duplicateOf: number | null;
}

export type CountRow = MentionCountTable;
export type RollupRow = MentionRollupTable;

/**
 * How one batch is written. Every method runs inside the caller's transaction; maps are keyed by
 * `authorKey` (authors) and near-duplicate key (originals).
 */
export interface MentionWriteOps {
  /** Upserts the authors (a null field keeps the stored value) and returns their ids. */
  upsertAuthors(workspaceId: number, authors: AuthorDraft[], now: number): Promise<Map<string, number>>;
  /** The oldest stored original (not itself a duplicate) per near-duplicate key. */
  findOriginals(workspaceId: number, keys: ReadonlySet<string>): Promise<Map<string, number>>;
  /** Inserts the mentions that are not stored yet; returns their new ids in input order (undefined: stored before). */
  insertMentions(rows: MentionInsert[]): Promise<(number | undefined)[]>;
  bumpDuplicateCounts(perOriginal: Map<number, number>): Promise<void>;
  /** Links each stored mention to its brands. */
  insertBrandLinks(stored: readonly StoredMention[]): Promise<void>;
  /** Adds `n` of each row to the stored counts / roll-ups. */
  addCounts(counts: CountRow[], rollups: RollupRow[]): Promise<void>;
  /**
   * Adds stored mentions to the full-text index where the database does not do it itself (SQLite). Must be the
   * transaction's last write: see mention-store-sqlite.repository.ts.
   */
  indexText(stored: readonly StoredMention[]): Promise<void>;
}

export const COUNT_BUCKET_MS = 5 * 60 * 1000;
/** The roll-up grains of `mention_rollups`: hours and UTC days. */
const ROLLUP_GRAINS = [
  { grain: 'h', ms: 3_600_000 },
  { grain: 'd', ms: 86_400_000 },
] as const;
const CHUNK = 400;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}


/** The write operations for `db`, bound to the transaction `trx` of that database. */
export function writeOpsFor(db: Db, trx: Transaction<Database>): MentionWriteOps {
  return db.sqlite ? sqliteWriteOps(db.sqlite) : kyselyWriteOps(trx);
}

/**
 * Stores the batch: authors, then originals, then near-duplicates pointing at their original, then brand links;
 * its counts go to `tally`, written once per transaction (`CountTally.write`). Authors the cache knows unchanged are
 * not written again. The full-text index is left to the caller (`ops.indexText`), after the batch's other writes.
 * @returns the mentions actually inserted (re-deliveries of stored items are left out).
 */
export async function storeMentionDrafts(ops: MentionWriteOps, authors: AuthorBatch, workspaceId: number, drafts: MentionDraft[], now: number, tally: CountTally): Promise<StoredMention[]> {
  const authorIds = await authors.resolve(workspaceId, drafts, (changed) => ops.upsertAuthors(workspaceId, changed, now));
  const keys = new Set<string>();
  for (const d of drafts) if (d.row.near_hash) keys.add(d.row.near_hash);
  const originals = await ops.findOriginals(workspaceId, keys);
  // One object per draft, first the row to insert, then (with its id) the stored mention.
  const entries = drafts.map((draft, i): MentionInsert & StoredMention => ({ id: 0, draft, row: draft.row, authorId: authorIds[i]!, duplicateOf: null }));
  const { firsts, dups } = splitOriginals(entries, originals, keys);
  const stored: StoredMention[] = [];
  const insert = async (list: (MentionInsert & StoredMention)[]) => {
    const ids = await ops.insertMentions(list);
    list.forEach((m, i) => {
      const id = ids[i];
      if (id === undefined) return;
      m.id = id;
      stored.push(m);
    });
  };
  await insert(firsts);
  for (const m of firsts) {
    const k = m.row.near_hash;
    if (k && m.id && !originals.has(k)) originals.set(k, m.id);
  }
  for (const m of dups) m.duplicateOf = originals.get(m.row.near_hash!) ?? null;
  await insert(dups);
  await ops.bumpDuplicateCounts(duplicatesPerOriginal(stored));
  await ops.insertBrandLinks(stored);
  tally.add(stored);
  return stored;
}

/**
 * The 5-minute per-brand counts of stored mentions and their hourly/daily roll-ups, added up over the batches of a
 * transaction and written once at its end: a bulk import's batches each touch most buckets of the period it covers,
 * so one upsert per bucket and transaction instead of per batch (≈ 0.6 upserts per mention with batches of 5,000).
 */
export class CountTally {
  /** By brand, sentiment, language and source, then by bucket. */
  private readonly counts = new Map<string, Map<number, CountRow>>();
  /** The last of them looked up: consecutive mentions of an import mostly share it. */
  private last: { brand: number; sentiment: string; lang: string; source: number; buckets: Map<number, CountRow> } | null = null;

  add(stored: readonly StoredMention[]): void {
    for (const s of stored) {
      const r = s.draft.row;
      const bucket = Math.floor(r.published_at / COUNT_BUCKET_MS) * COUNT_BUCKET_MS;
      const sentiment = r.sentiment ?? '';
      const lang = r.lang ?? '';
      for (const brand_id of s.draft.brandIds) {
        const buckets = this.bucketsOf(brand_id, sentiment, lang, r.source_id);
        const c = buckets.get(bucket);
        if (c) c.n++;
        else buckets.set(bucket, { brand_id, bucket, sentiment, lang, source_id: r.source_id, n: 1 });
      }
    }
  }

  /** Writes the mentions per brand × 5-minute bucket × sentiment × language × source, and their roll-ups. */
  async write(ops: MentionWriteOps): Promise<void> {
    const counts = [...this.counts.values()].flatMap((buckets) => [...buckets.values()]);
    if (counts.length) await ops.addCounts(counts, rollupRows(counts));
    this.counts.clear();
    this.last = null;
  }

  private bucketsOf(brand: number, sentiment: string, lang: string, source: number): Map<number, CountRow> {
    const l = this.last;
    if (l && l.brand === brand && l.sentiment === sentiment && l.lang === lang && l.source === source) return l.buckets;
    const k = `${brand}|${sentiment}|${lang}|${source}`;
    let buckets = this.counts.get(k);
    if (!buckets) this.counts.set(k, (buckets = new Map()));
    this.last = { brand, sentiment, lang, source, buckets };
    return buckets;
  }
}

/** The domain view of a mention just stored (for the live stream and the radar's mention signals). */
export function storedToMention(s: StoredMention): Mention {
  const a = s.draft.author;
  const author = a && s.authorId !== null ? { id: s.authorId, handle: a.handle, name: a.name, url: a.url, followers: a.followers } : null;
  return toMention({ ...s.draft.row, id: s.id, author_id: s.authorId, duplicate_of: s.duplicateOf, duplicate_count: 0 }, author, s.draft.brandIds);
}

/**
 * Drafts whose near-duplicate key has no original yet (stored or earlier in the batch) are originals.
 * @param keys the batch's keys; emptied (a key leaves it with the first draft that has it).
 */
function splitOriginals<T extends { row: MentionDraft['row'] }>(drafts: T[], originals: Map<string, number>, keys: Set<string>): { firsts: T[]; dups: T[] } {
  const firsts: T[] = [];
  const dups: T[] = [];
  for (const d of drafts) {
    const k = d.row.near_hash;
    if (k && (originals.has(k) || !keys.delete(k))) dups.push(d);
    else firsts.push(d);
  }
  return { firsts, dups };
}

function duplicatesPerOriginal(stored: StoredMention[]): Map<number, number> {
  const perOriginal = new Map<number, number>();
  for (const s of stored) if (s.duplicateOf !== null) perOriginal.set(s.duplicateOf, (perOriginal.get(s.duplicateOf) ?? 0) + 1);
  return perOriginal;
}

/**
 * The roll-up rows of some counts: per brand, hour and UTC day, one row for the volume (dim 'all') and one
 * per sentiment, language and source. Buckets are cut with SQL's integer division (towards zero), as the
 * migration that built the roll-ups from existing counts did.
 */
export function rollupRows(counts: CountRow[]): RollupRow[] {
  const out = new Map<string, RollupRow>();
  const add = (brand_id: number, grain: RollupRow['grain'], bucket: number, dim: RollupRow['dim'], value: string, n: number) => {
    const k = `${brand_id}|${grain}|${bucket}|${dim}|${value}`;
    const r = out.get(k);
    if (r) r.n += n;
    else out.set(k, { brand_id, grain, bucket, dim, value, n });
  };
  for (const c of counts) {
    for (const g of ROLLUP_GRAINS) {
      const bucket = Math.trunc(c.bucket / g.ms) * g.ms;
      add(c.brand_id, g.grain, bucket, 'all', '', c.n);
      add(c.brand_id, g.grain, bucket, 'sentiment', c.sentiment, c.n);
      add(c.brand_id, g.grain, bucket, 'lang', c.lang, c.n);
      add(c.brand_id, g.grain, bucket, 'source', String(c.source_id), c.n);
    }
  }
  return [...out.values()];
}

/** Multi-row Kysely statements, chunked to stay under the drivers' parameter limits. */
function kyselyWriteOps(trx: Transaction<Database>): MentionWriteOps {
  return {
    async upsertAuthors(workspaceId, authors, now) {
      const ids = new Map<string, number>();
      for (const part of chunks(authors)) {
        const rows = await trx
          .insertInto('authors')
          .values(part.map((a) => ({ workspace_id: workspaceId, channel: a.channel, handle: a.handle, name: a.name, url: a.url, followers: a.followers, created_at: now, updated_at: now })))
          .onConflict((oc) =>
            oc.columns(['workspace_id', 'channel', 'handle']).doUpdateSet({
              name: sql`coalesce(excluded.name, authors.name)`,
              url: sql`coalesce(excluded.url, authors.url)`,
              followers: sql`coalesce(excluded.followers, authors.followers)`,
              updated_at: now,
            }),
          )
          .returning(['id', 'channel', 'handle'])
          .execute();
        for (const r of rows) ids.set(authorKey(r), r.id);
      }
      return ids;
    },
    async findOriginals(workspaceId, keys) {
      const found = new Map<string, number>();
      for (const part of chunks([...keys])) {
        const rows = await trx
          .selectFrom('mentions')
          .select(['near_hash', sql<number>`min(id)`.as('id')])
          .where('workspace_id', '=', workspaceId)
          .where('near_hash', 'in', part)
          .where('duplicate_of', 'is', null)
          .groupBy('near_hash')
          .execute();
        for (const r of rows) if (r.near_hash) found.set(r.near_hash, r.id);
      }
      return found;
    },
    async insertMentions(rows) {
      const ids = new Map<string, number>();
      for (const part of chunks(rows)) {
        const inserted = await trx
          .insertInto('mentions')
          .values(part.map((r): InsertableMentionRow => ({ ...r.row, author_id: r.authorId, duplicate_of: r.duplicateOf, duplicate_count: 0 })))
          .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
          .returning(['id', 'source_id', 'external_id'])
          .execute();
        for (const r of inserted) ids.set(mentionKey(r), r.id);
      }
      return rows.map((r) => ids.get(mentionKey(r.row)));
    },
    async bumpDuplicateCounts(perOriginal) {
      for (const [id, n] of perOriginal) await trx.updateTable('mentions').set({ duplicate_count: sql`duplicate_count + ${n}` }).where('id', '=', id).execute();
    },
    async insertBrandLinks(stored) {
      const links = stored.flatMap((s) => s.draft.brandIds.map((brand_id) => ({ mention_id: s.id, brand_id, published_at: s.draft.row.published_at })));
      for (const part of chunks(links, 800)) await trx.insertInto('mention_brands').values(part).onConflict((oc) => oc.doNothing()).execute();
    },
    // PostgreSQL's search column is generated from the text.
    indexText: async () => {},
    async addCounts(counts, rollups) {
      for (const part of chunks(counts, 500)) {
        await trx
          .insertInto('mention_counts')
          .values(part)
          .onConflict((oc) => oc.columns(['brand_id', 'bucket', 'sentiment', 'lang', 'source_id']).doUpdateSet({ n: sql`mention_counts.n + excluded.n` }))
          .execute();
      }
      for (const part of chunks(rollups, 500)) {
        await trx
          .insertInto('mention_rollups')
          .values(part)
          .onConflict((oc) => oc.columns(['brand_id', 'grain', 'dim', 'bucket', 'value']).doUpdateSet({ n: sql`mention_rollups.n + excluded.n` }))
          .execute();
      }
    },
  };
}

export async function insertDeadLetters(trx: Transaction<Database> | Kysely<Database>, workspaceId: number, letters: DeadLetterDraft[], now: number): Promise<void> {
  for (const part of chunks(letters, 200)) {
    await trx
      .insertInto('dead_letters')
      .values(
        part.map((d) => ({
          workspace_id: workspaceId,
          source_id: d.sourceId,
          external_id: d.externalId,
          stage: d.stage,
          error: d.error.slice(0, 2000),
          payload: safeStringify(d.payload),
          status: 'pending' as const,
          attempts: 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
}

/** Payloads are whatever a source could not parse; never let serialising them fail the batch. */
function safeStringify(value: unknown): string {
  try {
    const s = JSON.stringify(value ?? null);
    return s.length > 1_000_000 ? JSON.stringify({ truncated: true, head: s.slice(0, 1_000_000) }) : s;
  } catch {
    return JSON.stringify(String(value));
  }
}
