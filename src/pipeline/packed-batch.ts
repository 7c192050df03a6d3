/**
 * A prepared batch in the form it crosses from a worker thread to the main thread: the drafts' fields as columns.
 * Copying between threads (structured clone) costs per object and per property name — 5,000 drafts are ≈ 25,000
 * objects and 100,000 property names, ≈ 2.5 MB — while the same fields as a few dozen arrays are ≈ 1 MB and far
 * fewer objects to build and collect on the thread that stores them. `unpackBatch` builds the drafts back with
 * object literals (one shape, cheap to create).
 */
import type { DeadLetterDraft, MentionDraft } from '../mentions/mention-store.repository.ts';
import type { PreparedBatch } from './prepare.ts';

type Row = MentionDraft['row'];
type Column<K extends keyof Row> = Row[K][];

export interface PackedBatch {
  cursor: string | null | undefined;
  deadLetters: DeadLetterDraft[];
  filtered: number;
  duplicatesInBatch: number;
  size: number;
  rows: { [K in keyof Row]: Column<K> };
  /** Per draft: its author's handle, or null for a draft without author; the other author fields alongside. */
  authors: { channel: string[]; handle: (string | null)[]; name: (string | null)[]; url: (string | null)[]; followers: (number | null)[] };
  /** Per draft: how many brand ids / topics it has, and all of them in draft order. */
  brandCounts: number[];
  brandIds: number[];
  topicCounts: number[];
  topics: string[];
}

export function packBatch(b: PreparedBatch): PackedBatch {
  const rows = emptyColumns();
  const authors: PackedBatch['authors'] = { channel: [], handle: [], name: [], url: [], followers: [] };
  const packed: PackedBatch = {
    cursor: b.cursor, deadLetters: b.deadLetters, filtered: b.filtered, duplicatesInBatch: b.duplicatesInBatch, size: b.drafts.length,
    rows, authors, brandCounts: [], brandIds: [], topicCounts: [], topics: [],
  };
  for (const d of b.drafts) {
    // Each column by name (not `row[column]` over the names: one megamorphic lookup per field and row).
    const r = d.row;
    rows.workspace_id.push(r.workspace_id);
    rows.source_id.push(r.source_id);
    rows.external_id.push(r.external_id);
    rows.channel.push(r.channel);
    rows.url.push(r.url);
    rows.title.push(r.title);
    rows.text.push(r.text);
    rows.published_at.push(r.published_at);
    rows.ingested_at.push(r.ingested_at);
    rows.lang.push(r.lang);
    rows.lang_confidence.push(r.lang_confidence);
    rows.sentiment.push(r.sentiment);
    rows.sentiment_score.push(r.sentiment_score);
    rows.likes.push(r.likes);
    rows.shares.push(r.shares);
    rows.replies.push(r.replies);
    rows.views.push(r.views);
    rows.parent_external_id.push(r.parent_external_id);
    rows.near_hash.push(r.near_hash);
    rows.extra.push(r.extra);
    const a = d.author;
    authors.channel.push(a?.channel ?? '');
    authors.handle.push(a ? a.handle : null);
    authors.name.push(a?.name ?? null);
    authors.url.push(a?.url ?? null);
    authors.followers.push(a?.followers ?? null);
    packed.brandCounts.push(d.brandIds.length);
    packed.brandIds.push(...d.brandIds);
    packed.topicCounts.push(d.topics.length);
    packed.topics.push(...d.topics);
  }
  return packed;
}

/** One empty array per column of a draft's row (the type asks for every column). */
function emptyColumns(): PackedBatch['rows'] {
  return {
    workspace_id: [], source_id: [], external_id: [], channel: [], url: [], title: [], text: [], published_at: [], ingested_at: [], lang: [],
    lang_confidence: [], sentiment: [], sentiment_score: [], likes: [], shares: [], replies: [], views: [], parent_external_id: [], near_hash: [], extra: [],
  };
}

export function unpackBatch(p: PackedBatch): PreparedBatch {
  const r = p.rows;
  const a = p.authors;
  const drafts: MentionDraft[] = new Array(p.size);
  let brand = 0;
  let topic = 0;
  let brandIds = Object.freeze([]) as unknown as number[];
  let topics = Object.freeze([]) as unknown as string[];
  for (let i = 0; i < p.size; i++) {
    brandIds = sliceOrSame(p.brandIds, brand, p.brandCounts[i]!, brandIds);
    brand += p.brandCounts[i]!;
    topics = sliceOrSame(p.topics, topic, p.topicCounts[i]!, topics);
    topic += p.topicCounts[i]!;
    const handle = a.handle[i];
    drafts[i] = {
      row: {
        workspace_id: r.workspace_id[i]!, source_id: r.source_id[i]!, external_id: r.external_id[i]!, channel: r.channel[i]!, url: r.url[i]!,
        title: r.title[i]!, text: r.text[i]!, published_at: r.published_at[i]!, ingested_at: r.ingested_at[i]!, lang: r.lang[i]!,
        lang_confidence: r.lang_confidence[i]!, sentiment: r.sentiment[i]!, sentiment_score: r.sentiment_score[i]!, likes: r.likes[i]!,
        shares: r.shares[i]!, replies: r.replies[i]!, views: r.views[i]!, parent_external_id: r.parent_external_id[i]!,
        near_hash: r.near_hash[i]!, extra: r.extra[i]!,
      },
      author: handle == null ? null : { channel: a.channel[i]!, handle, name: a.name[i]!, url: a.url[i]!, followers: a.followers[i]! },
      brandIds,
      topics,
    };
  }
  return { drafts, deadLetters: p.deadLetters, filtered: p.filtered, duplicatesInBatch: p.duplicatesInBatch, cursor: p.cursor };
}

/**
 * `src[from, from + n)`, or `prev` when that holds the same values: the drafts of an import mostly have the same
 * brands and topics, and share one array of them (frozen, since one draft's array may be another's).
 */
function sliceOrSame<T>(src: readonly T[], from: number, n: number, prev: T[]): T[] {
  let same = prev.length === n;
  for (let j = 0; same && j < n; j++) same = prev[j] === src[from + j];
  return same ? prev : Object.freeze(src.slice(from, from + n)) as T[];
}
