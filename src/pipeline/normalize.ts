/**
 * First pipeline step: turn a connector's SourceItem into a clean, bounded NormalizedItem, or explain in
 * words why it cannot be stored (the item then goes to the dead-letter table with that explanation).
 * Text is kept verbatim apart from Unicode hygiene: it is data, and the UI renders it inert.
 */
import type { SourceItem } from './source.ts';
import { parseTime } from '../lib/time.ts';
import { ValidationError } from '../lib/errors.ts';

export const LIMITS = { text: 100_000, title: 2_000, externalId: 512, handle: 256, url: 4_096, extraJson: 16_384 };

export interface NormalizedItem {
  externalId: string;
  text: string;
  title: string | null;
  url: string | null;
  publishedAt: number;
  author: { handle: string; name: string | null; url: string | null; followers: number | null } | null;
  lang: string | null;
  metrics: { likes: number | null; shares: number | null; replies: number | null; views: number | null };
  parentExternalId: string | null;
  channel: string;
  extra: Record<string, unknown>;
}

// C0 controls except tab and newline, DEL, and C1 controls: never meaningful in a mention.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Unicode hygiene: lone surrogates become U+FFFD, control characters go, NFC form, trimmed. */
export function cleanText(value: string): string {
  return value.toWellFormed().replace(CONTROL, '').replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

function optionalString(value: unknown, field: string, max: number): string | null {
  if (value == null) return null;
  if (typeof value !== 'string' && typeof value !== 'number') throw new ValidationError(`${field} must be text`, { [field]: 'must be text' });
  const s = cleanText(String(value));
  if (s.length > max) throw new ValidationError(`${field} is ${s.length} characters long; the limit is ${max}`, { [field]: `longer than ${max} characters` });
  return s || null;
}

function count(value: unknown): number | null {
  if (value == null || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.min(Math.round(n), 2_147_483_647) : null;
}

/** Only absolute http(s) links are kept as links: a `javascript:` or relative URL is not something to click. */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string' || !value.trim() || value.length > LIMITS.url) return null;
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

function normalizeAuthor(a: SourceItem['author']): NormalizedItem['author'] {
  if (!a || a.handle == null) return null;
  const handle = optionalString(a.handle, 'author.handle', LIMITS.handle);
  if (!handle) return null;
  return { handle, name: optionalString(a.name, 'author.name', LIMITS.handle), url: safeUrl(a.url), followers: count(a.followers) };
}

function normalizeTime(value: SourceItem['publishedAt'], now: number): number {
  if (value == null || value === '') return now;
  const t = parseTime(value);
  if (t === null) throw new ValidationError(`publishedAt "${String(value).slice(0, 80)}" is not a date`, { publishedAt: 'not a date' });
  return t;
}

/**
 * @throws ValidationError with a message naming the field when the item cannot be stored.
 */
export function normalizeItem(item: SourceItem, defaultChannel: string, now: number): NormalizedItem {
  const externalId = optionalString(item.externalId, 'externalId', LIMITS.externalId);
  if (!externalId) throw new ValidationError('the item has no id (externalId)', { externalId: 'required' });
  const title = optionalString(item.title, 'title', LIMITS.title);
  const text = optionalString(item.text, 'text', LIMITS.text) ?? title;
  if (!text) throw new ValidationError('the item has no text', { text: 'required' });
  const extra = item.extra && typeof item.extra === 'object' ? { ...item.extra } : {};
  if (JSON.stringify(extra).length > LIMITS.extraJson) throw new ValidationError('extra fields are larger than 16 KiB', { extra: 'too large' });
  const lang = typeof item.lang === 'string' && /^[a-z]{2,3}$/i.test(item.lang.trim()) ? item.lang.trim().toLowerCase() : null;
  const m = item.metrics ?? {};
  return {
    externalId,
    text,
    title,
    url: safeUrl(item.url),
    publishedAt: normalizeTime(item.publishedAt, now),
    author: normalizeAuthor(item.author),
    lang,
    metrics: { likes: count(m.likes), shares: count(m.shares), replies: count(m.replies), views: count(m.views) },
    parentExternalId: optionalString(item.parentExternalId, 'parentExternalId', LIMITS.externalId),
    channel: optionalString(item.channel, 'channel', 64) ?? defaultChannel,
    extra,
  };
}
