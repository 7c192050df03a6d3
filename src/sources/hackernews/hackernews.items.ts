/** Algolia Hacker News hits → SourceItems (pure). */
import type { SourceBatch, SourceItem } from '../../pipeline/source.ts';
import { htmlToText } from '../rss/html-text.ts';

/** The fields of an Algolia hit that Earshot reads (the API sends many more). */
export interface AlgoliaHit {
  objectID?: unknown;
  created_at_i?: unknown;
  title?: string | null;
  url?: string | null;
  author?: string | null;
  points?: number | null;
  story_text?: string | null;
  comment_text?: string | null;
  num_comments?: number | null;
  story_id?: number | null;
  story_title?: string | null;
  parent_id?: number | null;
  _tags?: string[];
}

const HN = 'https://news.ycombinator.com';

/** Every hit becomes an item, or a reject when it lacks an id, a time or any text. */
export function hitsToBatch(hits: readonly AlgoliaHit[]): Required<Pick<SourceBatch, 'items' | 'rejects'>> {
  const out: Required<Pick<SourceBatch, 'items' | 'rejects'>> = { items: [], rejects: [] };
  for (const hit of hits) {
    const id = hit && (typeof hit.objectID === 'string' || typeof hit.objectID === 'number') ? String(hit.objectID) : null;
    if (!id || typeof hit.created_at_i !== 'number') {
      out.rejects.push({ externalId: id, error: 'Hacker News hit without objectID or created_at_i', payload: hit });
      continue;
    }
    const item = hit.comment_text != null ? commentItem(id, hit) : storyItem(id, hit);
    if (item.text) out.items.push(item);
    else out.rejects.push({ externalId: id, error: 'Hacker News hit with neither a title nor any text', payload: hit });
  }
  return out;
}

function base(id: string, hit: AlgoliaHit): SourceItem {
  return {
    externalId: id,
    text: '',
    url: `${HN}/item?id=${id}`,
    publishedAt: (hit.created_at_i as number) * 1000,
    author: hit.author ? { handle: hit.author, url: `${HN}/user?id=${encodeURIComponent(hit.author)}` } : null,
    channel: 'hackernews',
  };
}

function storyItem(id: string, hit: AlgoliaHit): SourceItem {
  const title = hit.title?.trim() || null;
  return {
    ...base(id, hit),
    title,
    // Link posts have no text of their own: the title is what people react to.
    text: htmlToText(hit.story_text) || title || '',
    metrics: { likes: hit.points ?? null, replies: hit.num_comments ?? null },
    extra: { kind: 'story', ...(hit.url ? { link: hit.url } : {}) },
  };
}

function commentItem(id: string, hit: AlgoliaHit): SourceItem {
  return {
    ...base(id, hit),
    text: htmlToText(hit.comment_text),
    parentExternalId: hit.parent_id != null ? String(hit.parent_id) : null,
    extra: { kind: 'comment', ...(hit.story_id != null ? { storyId: String(hit.story_id) } : {}), ...(hit.story_title ? { storyTitle: hit.story_title } : {}) },
  };
}
