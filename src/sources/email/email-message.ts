/**
 * One raw RFC 5322 message → what the pipeline gets: a SourceItem, a skip (auto-reply, bounce), or a reject
 * (a dead letter with the reason). Pure apart from the parse; no IMAP here, so it is tested on .eml files.
 *
 * Mapping: Message-ID → externalId (ids keep their angle brackets, as In-Reply-To and References write
 * them, so a reply finds its parent by plain string equality); In-Reply-To (else the last References id)
 * → parentExternalId; the References chain → `extra.references`; From → author (handle = address in lower
 * case, so that one person is one author however their client capitalises it); Subject → title; Date →
 * publishedAt (the server's arrival time when Date is missing or unreadable); channel "email".
 * Text: the text/plain part, else the HTML part as plain text; quoted history and signature stripped
 * (see quote-strip.ts), the unstripped text kept in `extra.fullText` when it is small.
 */
import crypto from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import { LIMITS } from '../../pipeline/normalize.ts';
import type { SourceItem, SourceReject } from '../../pipeline/source.ts';
import { htmlToText } from '../rss/html-text.ts';
import { classifyAutomated, type Automated } from './automated.ts';
import { dropBlockquotes, stripQuotedText } from './quote-strip.ts';

export type MessageOutcome =
  | { kind: 'item'; item: SourceItem }
  | { kind: 'skipped'; automated: Automated; messageId: string | null }
  | { kind: 'reject'; reject: SourceReject };

export interface MessageMeta {
  uid: number;
  /** The server's INTERNALDATE (arrival time): the fallback for a missing Date header. */
  internalDate?: Date | null;
}

/** `extra.fullText` is kept only while extra stays this small as JSON (the pipeline's limit is 16 KiB). */
const EXTRA_BUDGET = 12_000;
const REFERENCES_MAX = 20;
/** Longer ids in References / In-Reply-To are ignored rather than let them push the item over a limit. */
const THREAD_ID_MAX = 250;
/** A rejected message is kept in the dead letter up to this size, so it can be inspected and replayed. */
const PAYLOAD_MAX = 64 * 1024;

/** Parse and map one message. Never throws: a message mailparser cannot read becomes a reject. */
export async function toMessageOutcome(raw: Buffer, meta: MessageMeta): Promise<MessageOutcome> {
  let parsed: ParsedMail;
  try {
    // HTML is converted by us (quoted blockquotes dropped first); the text→HTML and link work is not needed.
    // Imported on first use: a process without an e-mail source never loads the parser.
    const { simpleParser } = await import('mailparser');
    parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  } catch (err) {
    return rejectOf(raw, meta, null, `the message could not be parsed: ${(err as Error).message}`);
  }
  const from = firstAddress(parsed.from);
  const automated = classifyAutomated(headerGetter(parsed), from?.address ?? null);
  const messageId = normalizeId(parsed.messageId);
  if (automated) return { kind: 'skipped', automated, messageId };
  if (!from) return rejectOf(raw, meta, messageId, 'not a readable e-mail: it has no From address');
  const body = bodyText(parsed);
  if (!body.full && !parsed.subject?.trim()) return rejectOf(raw, meta, messageId, 'the message has neither a subject nor any text');
  return { kind: 'item', item: toItem(parsed, raw, meta, from, body) };
}

function toItem(parsed: ParsedMail, raw: Buffer, meta: MessageMeta, from: { address: string; name: string | null }, body: BodyText): SourceItem {
  const references = referencesOf(parsed);
  const inReplyTo = threadId(parsed.inReplyTo?.split(/\s+/)[0]);
  const messageId = normalizeId(parsed.messageId);
  const text = body.text.length > LIMITS.text ? body.text.slice(0, LIMITS.text) : body.text;
  return {
    externalId: messageId && messageId.length <= LIMITS.externalId ? messageId : `no-message-id:${crypto.createHash('sha256').update(raw).digest('hex').slice(0, 40)}`,
    text,
    title: clip(parsed.subject?.trim() ?? '', LIMITS.title) || null,
    url: null,
    publishedAt: validDate(parsed.date) ?? validDate(meta.internalDate) ?? null,
    author: { handle: from.address, name: from.name ? clip(from.name, LIMITS.handle) : null },
    lang: /^([a-z]{2})\b/i.exec(headerGetter(parsed)('content-language') ?? '')?.[1]?.toLowerCase() ?? null,
    parentExternalId: inReplyTo ?? references.at(-1) ?? null,
    channel: 'email',
    extra: extraOf(parsed, meta, from, body, references, text.length < body.text.length),
  };
}

function extraOf(parsed: ParsedMail, meta: MessageMeta, from: { address: string }, body: BodyText, references: string[], truncated: boolean): Record<string, unknown> {
  const extra: Record<string, unknown> = { imapUid: meta.uid };
  if (references.length) extra.references = references;
  const replyTo = firstAddress(parsed.replyTo);
  if (replyTo && replyTo.address !== from.address) extra.replyTo = replyTo.address;
  if (truncated) extra.truncated = true;
  if (!body.stripped) return extra;
  extra.quoteStripped = true;
  const withFull = { ...extra, fullText: body.full };
  return JSON.stringify(withFull).length <= EXTRA_BUDGET ? withFull : extra;
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

interface BodyText {
  /** What the customer wrote: quoted history and signature removed. */
  text: string;
  /** The whole body as plain text. */
  full: string;
  stripped: boolean;
}

function bodyText(parsed: ParsedMail): BodyText {
  const plain = parsed.text?.trim();
  if (plain) {
    const { text, stripped } = stripQuotedText(plain);
    return { text, full: plain, stripped };
  }
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const full = htmlToText(html);
  const { text } = stripQuotedText(htmlToText(dropBlockquotes(html)) || full);
  return { text: text || full, full, stripped: text !== full };
}

/** References as ids in order, oldest first; a very long chain keeps its root and its newest ids. */
function referencesOf(parsed: ParsedMail): string[] {
  const raw = Array.isArray(parsed.references) ? parsed.references : (parsed.references ?? '').split(/\s+/);
  const ids = [...new Set(raw.map(threadId).filter((r): r is string => r !== null))];
  return ids.length > REFERENCES_MAX ? [ids[0]!, ...ids.slice(-(REFERENCES_MAX - 1))] : ids;
}

function threadId(id: string | null | undefined): string | null {
  const n = normalizeId(id);
  return n && n.length <= THREAD_ID_MAX ? n : null;
}

/** `<id@host>` form of a message id, or null when there is none. */
export function normalizeId(id: string | null | undefined): string | null {
  const bare = id?.trim().replace(/^<+|>+$/g, '').trim();
  return bare ? `<${bare}>` : null;
}

function firstAddress(field: AddressObject | AddressObject[] | undefined): { address: string; name: string | null } | null {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  for (const entry of list.flatMap((a) => a.value.flatMap((v) => (v.group ? v.group : [v])))) {
    const address = entry.address?.trim().toLowerCase();
    if (address && address.includes('@')) return { address, name: entry.name?.trim() || null };
  }
  return null;
}

/** Raw header values by lower-case name; Subject decoded (its encoded-word form is no use to a rule). */
function headerGetter(parsed: ParsedMail): (name: string) => string | null {
  return (name) => {
    if (name === 'subject') return parsed.subject ?? null;
    const line = parsed.headerLines.find((h) => h.key === name)?.line;
    if (line === undefined) return null;
    return line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  };
}

function validDate(date: Date | null | undefined): string | null {
  return date && Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

function rejectOf(raw: Buffer, meta: MessageMeta, messageId: string | null, error: string): MessageOutcome {
  const source = raw.subarray(0, PAYLOAD_MAX).toString('utf8');
  const payload = { imapUid: meta.uid, bytes: raw.length, truncated: raw.length > PAYLOAD_MAX, source };
  return { kind: 'reject', reject: { externalId: messageId, error, payload } };
}
