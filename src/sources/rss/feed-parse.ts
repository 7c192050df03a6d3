/**
 * Feed text → a format-neutral list of entries. XML feeds (RSS 0.9x/2.0, RSS 1.0 RDF, Atom) go through
 * rss-parser; JSON Feed (1 and 1.1) is mapped by hand. Every text field comes out as plain text.
 */
import Parser from 'rss-parser';
import { htmlToText } from './html-text.ts';

/** One feed entry, whatever the format, before it becomes a SourceItem. */
export interface FeedEntry {
  /** guid, Atom id, RDF about or JSON Feed id. */
  id: string | null;
  link: string | null;
  title: string | null;
  /** Plain text of the content, falling back to summary / description. */
  text: string;
  /** ISO date when the feed's date could be read, else the date as written. */
  published: string | null;
  author: string | null;
  views: number | null;
  /** The entry as parsed, kept for rejects. */
  raw: unknown;
}

export interface ParsedFeed {
  title: string | null;
  entries: FeedEntry[];
}

type XmlItem = Parser.Item & Record<string, unknown>;

// YouTube puts the description and view count inside <media:group>, which rss-parser skips by default.
const parser = new Parser<Record<string, unknown>, Record<string, unknown>>({
  customFields: { item: [['media:group', 'mediaGroup']] },
});
lenientAtomDates(parser);

/**
 * rss-parser calls `new Date(<published>).toISOString()` unguarded for Atom entries, so one unreadable
 * date would fail the whole feed ("Invalid time value"). Drop such dates before it sees them: the
 * entry then gets the time of ingest, as the Source contract allows.
 */
function lenientAtomDates(p: object): void {
  type AtomEntry = Record<string, unknown>;
  const target = p as { parseItemAtom(entry: AtomEntry): unknown };
  const original = target.parseItemAtom.bind(p);
  target.parseItemAtom = (entry) => {
    const fixed = { ...entry };
    for (const key of ['published', 'updated']) {
      const value = (fixed[key] as unknown[] | undefined)?.[0];
      if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) delete fixed[key];
    }
    return original(fixed);
  };
}

/**
 * Parse feed text. `where` names the feed in error messages.
 * @throws Error "the feed at <where> is not valid RSS/Atom XML: <reason>" (or the JSON Feed equivalent).
 */
export async function parseFeed(text: string, contentType: string | null, where: string): Promise<ParsedFeed> {
  const body = text.trimStart();
  if (/application\/(feed\+)?json/i.test(contentType ?? '') || body.startsWith('{')) return parseJsonFeed(body, where);
  let feed: Parser.Output<Record<string, unknown>>;
  try {
    feed = await parser.parseString(body);
  } catch (err) {
    const reason = (err as Error).message.replace(/\s*\n\s*/g, ', ');
    throw new Error(`the feed at ${where} is not valid RSS/Atom XML: ${reason}`);
  }
  return { title: str(feed.title), entries: feed.items.map((item) => xmlEntry(item as XmlItem)) };
}

function xmlEntry(item: XmlItem): FeedEntry {
  const body = str(item['content:encoded']) || str(item.content) || str(item.summary) || mediaField(item, 'media:description');
  return {
    id: str(item.guid) || str(item.id) || str(item['rdf:about']) || null,
    link: str(item.link) || null,
    title: htmlToText(str(item.title)) || null,
    text: htmlToText(body),
    published: str(item.isoDate) || str(item.pubDate)?.trim() || null,
    author: str(item.creator)?.trim() || str(item.author)?.trim() || null,
    views: toCount(mediaStat(item)),
    raw: item,
  };
}

/** A string value, or null for absent/structured values (xml2js yields objects for odd markup). */
function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function mediaField(item: XmlItem, name: string): string | null {
  const group = item.mediaGroup as Record<string, unknown[]> | undefined;
  return str(group?.[name]?.[0]);
}

function mediaStat(item: XmlItem): unknown {
  const group = item.mediaGroup as { 'media:community'?: { 'media:statistics'?: { $?: { views?: unknown } }[] }[] } | undefined;
  return group?.['media:community']?.[0]?.['media:statistics']?.[0]?.$?.views;
}

function toCount(value: unknown): number | null {
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON Feed 1 / 1.1 (https://jsonfeed.org/version/1.1). */
function parseJsonFeed(text: string, where: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`the feed at ${where} is not valid JSON Feed: ${(err as Error).message}`);
  }
  if (!isObject(doc) || !Array.isArray(doc.items)) {
    throw new Error(`the feed at ${where} is not a JSON Feed: it has no "items" array`);
  }
  const feedAuthor = jsonAuthor(doc);
  return { title: str(doc.title), entries: doc.items.map((item: unknown) => jsonEntry(item, feedAuthor)) };
}

function jsonEntry(item: unknown, feedAuthor: string | null): FeedEntry {
  const it = isObject(item) ? item : {};
  const id = typeof it.id === 'number' ? String(it.id) : str(it.id);
  const text = str(it.content_text)?.trim() || htmlToText(str(it.content_html)) || htmlToText(str(it.summary));
  return {
    id: id || null,
    link: str(it.url) || str(it.external_url) || null,
    title: htmlToText(str(it.title)) || null,
    text,
    published: str(it.date_published) || str(it.date_modified) || null,
    author: jsonAuthor(it) ?? feedAuthor,
    views: null,
    raw: item,
  };
}

/** `authors[0].name` (1.1) or `author.name` (1.0). */
function jsonAuthor(obj: Json): string | null {
  const first = Array.isArray(obj.authors) ? obj.authors[0] : obj.author;
  return isObject(first) ? str(first.name)?.trim() || null : null;
}
