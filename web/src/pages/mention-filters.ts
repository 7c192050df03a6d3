/** The Mentions page's filters live in the URL; these helpers read them and turn them into API parameters. */
import type { Mention, Sentiment } from '../api.ts';

export interface MentionFilters {
  brand?: number;
  source?: number;
  channel?: string;
  author?: number;
  lang?: string;
  sentiment?: Sentiment;
  from?: number;
  to?: number;
  q?: string;
  duplicates?: boolean;
}

export const FILTER_KEYS = ['brand', 'source', 'channel', 'author', 'lang', 'sentiment', 'from', 'to', 'q', 'duplicates'] as const;

const int = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

export function readFilters(q: URLSearchParams): MentionFilters {
  const sentiment = q.get('sentiment');
  return {
    brand: int(q.get('brand')),
    source: int(q.get('source')),
    channel: q.get('channel') || undefined,
    author: int(q.get('author')),
    lang: q.get('lang') || undefined,
    sentiment: sentiment === 'negative' || sentiment === 'neutral' || sentiment === 'positive' || sentiment === 'none' ? sentiment : undefined,
    from: int(q.get('from')),
    to: int(q.get('to')),
    q: q.get('q') || undefined,
    duplicates: q.get('duplicates') === 'true' || undefined,
  };
}

/** Query parameters for /mentions and /mentions/stream. */
export function apiParams(f: MentionFilters): Record<string, string | number | undefined> {
  return { brand: f.brand, source: f.source, channel: f.channel, author: f.author, lang: f.lang, sentiment: f.sentiment, from: f.from, to: f.to, q: f.q, duplicates: f.duplicates ? 'true' : undefined };
}

/** A stable key: the feed reloads when it changes. */
export function filterKey(f: MentionFilters): string {
  return JSON.stringify(apiParams(f));
}

export function hasFilters(f: MentionFilters): boolean {
  return Object.values(apiParams(f)).some((v) => v !== undefined);
}

/**
 * The live stream filters by brand, source, channel, author, language, sentiment and duplicates on the server; the time range
 * and the text query are checked here (words must all appear, case-insensitively — close to the server's
 * full-text search, which also folds accents).
 */
export function acceptsLive(m: Mention, f: MentionFilters): boolean {
  if (f.from !== undefined && m.publishedAt < f.from) return false;
  if (f.to !== undefined && m.publishedAt >= f.to) return false;
  if (f.q) {
    const hay = fold(`${m.title ?? ''} ${m.text}`);
    const words = fold(f.q).match(/[\p{L}\p{N}]+/gu) ?? [];
    if (!words.every((w) => hay.includes(w))) return false;
  }
  return true;
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** Whether new mentions can still arrive for this filter (the range is open towards now). */
export function isLive(f: MentionFilters): boolean {
  return f.to === undefined || f.to > Date.now();
}
