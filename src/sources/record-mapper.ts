/**
 * Maps a flat record (CSV row) or a JSON object (JSONL line, webhook payload) to a SourceItem, using an
 * explicit column mapping where given (`text=body,time=created_at`, dot paths for nested JSON) and
 * well-known column names otherwise. Used by file import and webhook intake.
 */
import crypto from 'node:crypto';
import type { SourceItem } from '../pipeline/source.ts';

export const MAPPED_FIELDS = [
  'externalId', 'text', 'title', 'url', 'time', 'author', 'authorName', 'followers', 'lang',
  'likes', 'shares', 'replies', 'views', 'parent', 'channel',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];
export type FieldMap = Partial<Record<MappedField, string>>;

/** Column names tried, in order, when the mapping does not name one (plain names, never dot paths). */
const GUESSES: Record<MappedField, string[]> = {
  externalId: ['id', 'externalId', 'external_id', 'tweet_id', 'guid', 'message_id', 'review_id'],
  text: ['text', 'content', 'body', 'message', 'review', 'comment', 'description'],
  title: ['title', 'subject', 'headline'],
  url: ['url', 'link', 'permalink'],
  time: ['publishedAt', 'published_at', 'created_at', 'createdAt', 'tweet_created', 'date', 'time', 'timestamp'],
  author: ['author', 'author_id', 'handle', 'username', 'user', 'screen_name', 'name'],
  authorName: ['author_name', 'authorName', 'display_name'],
  followers: ['followers', 'followers_count', 'author_followers'],
  lang: ['lang', 'language'],
  likes: ['likes', 'like_count', 'favorite_count', 'favourites_count'],
  shares: ['shares', 'retweet_count', 'share_count', 'reblogs_count'],
  replies: ['replies', 'reply_count', 'replies_count'],
  views: ['views', 'view_count', 'impressions'],
  parent: ['parentId', 'parent_id', 'in_response_to_tweet_id', 'in_reply_to_id', 'in_reply_to'],
  channel: ['channel', 'platform'],
};

/** Parses `text=body,time=created_at` into a FieldMap. @throws Error naming the unknown field. */
export function parseFieldMap(spec: string | undefined): FieldMap {
  const map: FieldMap = {};
  if (!spec) return map;
  for (const pair of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [field, column] = pair.split('=').map((s) => s.trim());
    if (!field || !column) throw new Error(`"${pair}" is not FIELD=COLUMN`);
    if (!(MAPPED_FIELDS as readonly string[]).includes(field)) throw new Error(`unknown field "${field}"; known fields: ${MAPPED_FIELDS.join(', ')}`);
    map[field as MappedField] = column;
  }
  return map;
}

/** A column name, or the parts of a dot path into nested JSON (split once per mapper, not per record). */
type FieldPath = string | string[];

const fieldPath = (column: string): FieldPath => (column.includes('.') ? column.split('.') : column);

function getPath(record: unknown, path: FieldPath): unknown {
  if (record === null || typeof record !== 'object') return undefined;
  if (typeof path === 'string') return (record as Record<string, unknown>)[path];
  let cur: unknown = record;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/** Ids exported through floats by spreadsheet tools ("3.0") are ids all the same. */
function idString(v: unknown): string | null {
  if (!present(v)) return null;
  const s = String(v).trim();
  return /^\d+\.0+$/.test(s) ? s.replace(/\.0+$/, '') : s;
}

export interface RecordMapper {
  /** @throws Error when the record has no usable text. */
  map(record: unknown): SourceItem;
  /** The column each field resolved to (explicit or guessed), for messages and previews. */
  readonly resolved: FieldMap;
}

/**
 * Builds a mapper. `columns` (CSV header) lets guesses be resolved once up front; without it (JSON)
 * each record is looked at by itself.
 */
export function createRecordMapper(map: FieldMap, columns?: string[]): RecordMapper {
  const resolved: FieldMap = { ...map };
  if (columns) {
    for (const field of MAPPED_FIELDS) {
      if (resolved[field]) continue;
      const hit = GUESSES[field].find((g) => columns.includes(g));
      if (hit) resolved[field] = hit;
    }
    if (resolved.author && resolved.author === resolved.authorName) delete resolved.authorName;
  }
  const paths = new Map(MAPPED_FIELDS.flatMap((f) => (resolved[f] ? [[f, fieldPath(resolved[f])] as const] : [])));
  const get = (record: unknown, field: MappedField): unknown => {
    const path = paths.get(field);
    if (path !== undefined) return getPath(record, path);
    if (columns) return undefined;
    for (const g of GUESSES[field]) {
      const v = getPath(record, g);
      if (present(v)) return v;
    }
    return undefined;
  };
  return { resolved, map: (record) => mapRecord(record, get) };
}

function mapRecord(record: unknown, get: (r: unknown, f: MappedField) => unknown): SourceItem {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new Error('the record is not an object');
  const text = get(record, 'text');
  const title = get(record, 'title');
  if (!present(text) && !present(title)) throw new Error('the record has no text (map it with text=COLUMN)');
  const rawAuthor = get(record, 'author');
  const authorObj = rawAuthor && typeof rawAuthor === 'object' ? (rawAuthor as Record<string, unknown>) : null;
  const handle = authorObj ? (authorObj.handle ?? authorObj.username ?? authorObj.name) : rawAuthor;
  const num = (f: MappedField) => {
    const v = get(record, f);
    return present(v) ? Number(v) : null;
  };
  const url = get(record, 'url');
  const channel = get(record, 'channel');
  return {
    externalId: idString(get(record, 'externalId')) ?? contentId(record),
    text: present(text) ? String(text) : '',
    title: present(title) ? String(title) : null,
    url: present(url) ? String(url) : null,
    publishedAt: (get(record, 'time') as string | number | null | undefined) ?? null,
    author: present(handle)
      ? { handle: String(handle), name: strOrNull(authorObj?.name ?? get(record, 'authorName')), followers: authorObj?.followers != null ? Number(authorObj.followers) : num('followers') }
      : null,
    lang: strOrNull(get(record, 'lang')),
    metrics: { likes: num('likes'), shares: num('shares'), replies: num('replies'), views: num('views') },
    parentExternalId: idString(get(record, 'parent')),
    ...(present(channel) ? { channel: String(channel) } : {}),
  };
}

function strOrNull(v: unknown): string | null {
  return present(v) ? String(v) : null;
}

/** Records without an id get one from their content, so that importing the same file twice is idempotent. */
function contentId(record: unknown): string {
  return `sha1:${crypto.createHash('sha1').update(JSON.stringify(record)).digest('hex').slice(0, 24)}`;
}
