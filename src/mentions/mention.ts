/** The Mention as the rest of the application and the API see it (never a database row). */
import type { MentionRow } from '../db/schema.ts';
import { parseJson } from '../db/json.ts';

export interface MentionAuthor {
  id: number;
  handle: string;
  name: string | null;
  url: string | null;
  followers: number | null;
}

/** An author as lists show them (top authors, a person's identities): the author row's public fields. */
export interface AuthorSummary {
  authorId: number;
  channel: string;
  handle: string;
  name: string | null;
  url: string | null;
  followers: number | null;
}

export interface Mention {
  id: number;
  workspaceId: number;
  sourceId: number;
  externalId: string;
  channel: string;
  url: string | null;
  title: string | null;
  /** Verbatim text as received: data, never markup. */
  text: string;
  author: MentionAuthor | null;
  publishedAt: number;
  ingestedAt: number;
  lang: string | null;
  langConfidence: number | null;
  sentiment: { label: string; score: number | null } | null;
  topics: string[];
  intents: string[];
  relevance: number | null;
  metrics: { likes: number | null; shares: number | null; replies: number | null; views: number | null };
  parentExternalId: string | null;
  duplicateOf: number | null;
  duplicateCount: number;
  brandIds: number[];
  extra: Record<string, unknown>;
}

type ExtraJson = Record<string, unknown> & { topics?: string[]; intents?: string[]; relevance?: number | null };

/** Builds a Mention from its row (with `id`), its author and its brand ids. */
export function toMention(r: Omit<MentionRow, 'author_id'> & { author_id: number | null }, author: MentionAuthor | null, brandIds: number[]): Mention {
  const { topics, intents, relevance, ...extra } = parseJson<ExtraJson>(r.extra, {});
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    sourceId: r.source_id,
    externalId: r.external_id,
    channel: r.channel,
    url: r.url,
    title: r.title,
    text: r.text,
    author,
    publishedAt: r.published_at,
    ingestedAt: r.ingested_at,
    lang: r.lang,
    langConfidence: r.lang_confidence,
    sentiment: r.sentiment ? { label: r.sentiment, score: r.sentiment_score } : null,
    topics: topics ?? [],
    intents: intents ?? [],
    relevance: relevance ?? null,
    metrics: { likes: r.likes, shares: r.shares, replies: r.replies, views: r.views },
    parentExternalId: r.parent_external_id,
    duplicateOf: r.duplicate_of,
    duplicateCount: r.duplicate_count,
    brandIds,
    extra,
  };
}
