/**
 * The write side of mentions: stores one pipeline batch — authors, mentions, brand links, per-bucket
 * counts, dead letters and the source's cursor — inside the caller's transaction. Inserts are idempotent on
 * (source_id, external_id): an item delivered twice is stored once and reported as already known.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, InsertableMentionRow, MentionRow } from '../db/schema.ts';

/** A mention ready to store: normalized, matched to brands and enriched. */
export interface MentionDraft {
  row: Omit<MentionRow, 'id' | 'author_id' | 'duplicate_of' | 'duplicate_count'>;
  author: { channel: string; handle: string; name: string | null; url: string | null; followers: number | null } | null;
  brandIds: number[];
}

export interface DeadLetterDraft {
  sourceId: number | null;
  externalId: string | null;
  stage: string;
  error: string;
  payload: unknown;
}

export interface StoredMention {
  id: number;
  draft: MentionDraft;
  authorId: number | null;
  duplicateOf: number | null;
}

export const COUNT_BUCKET_MS = 5 * 60 * 1000;
const CHUNK = 400;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const authorKey = (a: { channel: string; handle: string }) => `${a.channel}\u0000${a.handle}`;

/** Upserts the batch's authors (newest name/followers win) and returns their ids by channel+handle. */
async function upsertAuthors(trx: Transaction<Database>, workspaceId: number, drafts: MentionDraft[], now: number): Promise<Map<string, number>> {
  const unique = new Map<string, NonNullable<MentionDraft['author']>>();
  for (const d of drafts) if (d.author) unique.set(authorKey(d.author), d.author);
  const ids = new Map<string, number>();
  for (const part of chunks([...unique.values()])) {
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
}

/** Originals already stored for the batch's near-duplicate keys (the oldest one per key). */
async function findOriginals(trx: Transaction<Database>, workspaceId: number, keys: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const part of chunks(keys)) {
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
}

async function insertMentions(trx: Transaction<Database>, rows: InsertableMentionRow[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(rows)) {
    const inserted = await trx
      .insertInto('mentions')
      .values(part)
      .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
      .returning(['id', 'source_id', 'external_id'])
      .execute();
    for (const r of inserted) ids.set(`${r.source_id}\u0000${r.external_id}`, r.id);
  }
  return ids;
}

/**
 * Inserts the drafts: first the ones that are originals, then near-duplicates pointing at their original.
 * @returns the mentions actually inserted (re-deliveries of stored items are left out).
 */
export async function insertMentionDrafts(trx: Transaction<Database>, workspaceId: number, drafts: MentionDraft[], now: number): Promise<StoredMention[]> {
  const authorIds = await upsertAuthors(trx, workspaceId, drafts, now);
  const keys = [...new Set(drafts.map((d) => d.row.near_hash).filter((k): k is string => !!k))];
  const originals = await findOriginals(trx, workspaceId, keys);
  const firsts: MentionDraft[] = [];
  const dups: MentionDraft[] = [];
  const firstInBatch = new Set<string>();
  for (const d of drafts) {
    const k = d.row.near_hash;
    if (k && (originals.has(k) || firstInBatch.has(k))) dups.push(d);
    else {
      if (k) firstInBatch.add(k);
      firsts.push(d);
    }
  }
  const toRow = (d: MentionDraft, duplicateOf: number | null): InsertableMentionRow => ({
    ...d.row,
    author_id: d.author ? (authorIds.get(authorKey(d.author)) ?? null) : null,
    duplicate_of: duplicateOf,
    duplicate_count: 0,
  });
  const stored: StoredMention[] = [];
  const firstIds = await insertMentions(trx, firsts.map((d) => toRow(d, null)));
  collect(firsts, firstIds, () => null);
  for (const d of firsts) if (d.row.near_hash && firstIds.has(key(d)) && !originals.has(d.row.near_hash)) originals.set(d.row.near_hash, firstIds.get(key(d))!);
  const dupOf = (d: MentionDraft) => (d.row.near_hash ? (originals.get(d.row.near_hash) ?? null) : null);
  const dupIds = await insertMentions(trx, dups.map((d) => toRow(d, dupOf(d))));
  collect(dups, dupIds, dupOf);
  await bumpDuplicateCounts(trx, stored);
  return stored;

  function key(d: MentionDraft) {
    return `${d.row.source_id}\u0000${d.row.external_id}`;
  }
  function collect(list: MentionDraft[], ids: Map<string, number>, of: (d: MentionDraft) => number | null) {
    for (const d of list) {
      const id = ids.get(key(d));
      if (id !== undefined) stored.push({ id, draft: d, authorId: d.author ? (authorIds.get(authorKey(d.author)) ?? null) : null, duplicateOf: of(d) });
    }
  }
}

async function bumpDuplicateCounts(trx: Transaction<Database>, stored: StoredMention[]): Promise<void> {
  const perOriginal = new Map<number, number>();
  for (const s of stored) if (s.duplicateOf !== null) perOriginal.set(s.duplicateOf, (perOriginal.get(s.duplicateOf) ?? 0) + 1);
  for (const [id, n] of perOriginal) {
    await trx.updateTable('mentions').set({ duplicate_count: sql`duplicate_count + ${n}` }).where('id', '=', id).execute();
  }
}

/** Links mentions to brands and adds them to the 5-minute per-brand counts. */
export async function linkBrandsAndCount(trx: Transaction<Database>, stored: StoredMention[]): Promise<void> {
  const links = stored.flatMap((s) => s.draft.brandIds.map((brand_id) => ({ mention_id: s.id, brand_id, published_at: s.draft.row.published_at })));
  for (const part of chunks(links, 800)) await trx.insertInto('mention_brands').values(part).onConflict((oc) => oc.doNothing()).execute();
  const counts = new Map<string, { brand_id: number; bucket: number; sentiment: string; lang: string; source_id: number; n: number }>();
  for (const s of stored) {
    const r = s.draft.row;
    const bucket = Math.floor(r.published_at / COUNT_BUCKET_MS) * COUNT_BUCKET_MS;
    for (const brand_id of s.draft.brandIds) {
      const k = `${brand_id}|${bucket}|${r.sentiment ?? ''}|${r.lang ?? ''}|${r.source_id}`;
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { brand_id, bucket, sentiment: r.sentiment ?? '', lang: r.lang ?? '', source_id: r.source_id, n: 1 });
    }
  }
  for (const part of chunks([...counts.values()], 500)) {
    await trx
      .insertInto('mention_counts')
      .values(part)
      .onConflict((oc) => oc.columns(['brand_id', 'bucket', 'sentiment', 'lang', 'source_id']).doUpdateSet({ n: sql`mention_counts.n + excluded.n` }))
      .execute();
  }
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
