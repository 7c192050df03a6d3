/** The read side of mentions: filtered, keyset-paginated lists, one mention with its thread, counts. */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database, MentionRow } from '../db/schema.ts';
import type { DialectName } from '../db/connection.ts';
import { fullTextCondition } from '../db/dialect-sql.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import { toMention, type Mention } from './mention.ts';

export interface MentionFilter {
  brandId?: number;
  sourceId?: number;
  channel?: string;
  authorId?: number;
  lang?: string;
  sentiment?: string;
  from?: number;
  to?: number;
  q?: string;
  /** Include near-duplicates (retweets, cross-posts); default false. */
  duplicates?: boolean;
  /** Only ids greater than this (live-stream catch-up). */
  afterId?: number;
}

export interface MentionPage {
  items: Mention[];
  nextCursor: string | null;
}

type Q = SelectQueryBuilder<Database & { m: Database['mentions'] }, 'm', object>;

function encodeCursor(publishedAt: number, id: number): string {
  return Buffer.from(JSON.stringify([publishedAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && v.every((n) => Number.isSafeInteger(n))) return v as [number, number];
  } catch {
    /* fall through */
  }
  throw new ValidationError('the cursor is not valid; start again without one', { cursor: 'invalid' });
}

function applyFilter(q: Q, dialect: DialectName, workspaceId: number, f: MentionFilter): Q {
  q = q.where('m.workspace_id', '=', workspaceId);
  if (f.brandId !== undefined) q = q.where((eb) => eb.exists(eb.selectFrom('mention_brands as mb').select('mb.mention_id').whereRef('mb.mention_id', '=', 'm.id').where('mb.brand_id', '=', f.brandId!)));
  if (f.sourceId !== undefined) q = q.where('m.source_id', '=', f.sourceId);
  if (f.channel) q = q.where('m.channel', '=', f.channel);
  if (f.authorId !== undefined) q = q.where('m.author_id', '=', f.authorId);
  if (f.lang) q = q.where('m.lang', '=', f.lang);
  if (f.sentiment) q = f.sentiment === 'none' ? q.where('m.sentiment', 'is', null) : q.where('m.sentiment', '=', f.sentiment);
  if (f.from !== undefined) q = q.where('m.published_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('m.published_at', '<', f.to);
  if (!f.duplicates) q = q.where('m.duplicate_of', 'is', null);
  if (f.afterId !== undefined) q = q.where('m.id', '>', f.afterId);
  if (f.q) {
    const cond = fullTextCondition(dialect, f.q);
    if (cond) q = q.where(cond);
  }
  return q;
}

async function hydrate(db: Kysely<Database>, rows: MentionRow[]): Promise<Mention[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const authorIds = [...new Set(rows.map((r) => r.author_id).filter((a): a is number => a !== null))];
  const [links, authors] = await Promise.all([
    db.selectFrom('mention_brands').select(['mention_id', 'brand_id']).where('mention_id', 'in', ids).execute(),
    authorIds.length ? db.selectFrom('authors').select(['id', 'handle', 'name', 'url', 'followers']).where('id', 'in', authorIds).execute() : Promise.resolve([]),
  ]);
  const brandsOf = new Map<number, number[]>();
  for (const l of links) brandsOf.set(l.mention_id, [...(brandsOf.get(l.mention_id) ?? []), l.brand_id]);
  const authorById = new Map(authors.map((a) => [a.id, a]));
  return rows.map((r) => toMention(r, r.author_id !== null ? (authorById.get(r.author_id) ?? null) : null, brandsOf.get(r.id) ?? []));
}

export async function listMentions(db: Kysely<Database>, dialect: DialectName, workspaceId: number, f: MentionFilter, limit: number, cursor?: string): Promise<MentionPage> {
  let q = applyFilter(db.selectFrom('mentions as m') as unknown as Q, dialect, workspaceId, f);
  if (cursor) {
    const [p, id] = decodeCursor(cursor);
    q = q.where((eb) => eb.or([eb('m.published_at', '<', p), eb.and([eb('m.published_at', '=', p), eb('m.id', '<', id)])]));
  }
  const rows = (await q.selectAll('m').orderBy('m.published_at', 'desc').orderBy('m.id', 'desc').limit(limit + 1).execute()) as MentionRow[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: await hydrate(db, page), nextCursor: rows.length > limit && last ? encodeCursor(last.published_at, last.id) : null };
}

/** Mentions stored after `afterId` (oldest first), for catching up a live stream after a reconnect. */
export async function listMentionsAfter(db: Kysely<Database>, dialect: DialectName, workspaceId: number, f: MentionFilter, afterId: number, limit: number): Promise<Mention[]> {
  const q = applyFilter(db.selectFrom('mentions as m') as unknown as Q, dialect, workspaceId, { ...f, afterId });
  const rows = (await q.selectAll('m').orderBy('m.id', 'asc').limit(limit).execute()) as MentionRow[];
  return hydrate(db, rows);
}

export interface MentionDetail extends Mention {
  parent: Mention | null;
  replies: Mention[];
}

/** @throws NotFoundError */
export async function getMentionDetail(db: Kysely<Database>, workspaceId: number, id: number): Promise<MentionDetail> {
  const row = await db.selectFrom('mentions').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) throw new NotFoundError('mention', id);
  const [parentRow, replyRows] = await Promise.all([
    row.parent_external_id
      ? db.selectFrom('mentions').selectAll().where('workspace_id', '=', workspaceId).where('external_id', '=', row.parent_external_id).orderBy('id').limit(1).executeTakeFirst()
      : Promise.resolve(undefined),
    db.selectFrom('mentions').selectAll().where('workspace_id', '=', workspaceId).where('parent_external_id', '=', row.external_id).orderBy('published_at').limit(50).execute(),
  ]);
  const [mention, parent, ...replies] = await hydrate(db, [row, ...(parentRow ? [parentRow] : []), ...replyRows]);
  return { ...mention!, parent: parentRow ? parent! : null, replies: parentRow ? replies : [parent, ...replies].filter((m): m is Mention => !!m) };
}

export type CountGroup = 'brand' | 'sentiment' | 'lang' | 'source';

export interface CountRow {
  bucket: number;
  key: string | number;
  n: number;
}

/** Counts per time bucket from the pre-aggregated 5-minute table (a mention counts once per brand it matched). */
export async function countMentions(
  db: Kysely<Database>,
  workspaceId: number,
  o: { bucketMs: number; from: number; to: number; groupBy: CountGroup; brandIds?: number[]; sentiment?: string; lang?: string; sourceId?: number },
): Promise<CountRow[]> {
  const column = { brand: 'c.brand_id', sentiment: 'c.sentiment', lang: 'c.lang', source: 'c.source_id' }[o.groupBy];
  const bucket = sql<number>`(c.bucket / ${sql.lit(o.bucketMs)}) * ${sql.lit(o.bucketMs)}`;
  let q = db
    .selectFrom('mention_counts as c')
    .innerJoin('brands as b', 'b.id', 'c.brand_id')
    .where('b.workspace_id', '=', workspaceId)
    .where('c.bucket', '>=', o.from)
    .where('c.bucket', '<', o.to);
  if (o.brandIds?.length) q = q.where('c.brand_id', 'in', o.brandIds);
  if (o.sentiment) q = q.where('c.sentiment', '=', o.sentiment === 'none' ? '' : o.sentiment);
  if (o.lang) q = q.where('c.lang', '=', o.lang);
  if (o.sourceId !== undefined) q = q.where('c.source_id', '=', o.sourceId);
  const rows = await q
    .select([bucket.as('bucket'), sql<string | number>`${sql.ref(column)}`.as('key'), sql<number>`sum(c.n)`.as('n')])
    .groupBy([bucket, sql.ref(column)])
    .orderBy('bucket')
    .execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), key: r.key, n: Number(r.n) }));
}
