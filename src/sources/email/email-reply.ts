/**
 * Replies to an e-mail mention over SMTP, threaded so that the customer's client shows the answer under
 * their message: `In-Reply-To` is the answered Message-ID, `References` is the answered message's chain
 * followed by its Message-ID (RFC 5322 §3.6.4), and the subject gets exactly one "Re: " (earlier reply
 * prefixes, localized ones like "AW:" or "SV:" included, are folded into it, as RFC 5322 §3.6.5 suggests).
 *
 * The inbox calls `sendEmailReply` after its transaction commits (side effects after commit); the returned
 * Message-ID is what the customer's next answer will name in its In-Reply-To.
 */
import crypto from 'node:crypto';
import type { SmtpSettings } from './email-settings.ts';
import { normalizeId } from './email-message.ts';
import { guardedTarget, type AddressGuard } from './host-guard.ts';

export interface EmailAddress {
  address: string;
  name?: string | null;
}

export interface EmailReply {
  from: string | EmailAddress;
  to: string | EmailAddress | (string | EmailAddress)[];
  /** The subject of the message being answered; "Re: " is added (once) here. */
  subject: string;
  text: string;
  /** Message-ID of the message being answered (the mention's externalId). */
  inReplyTo: string;
  /** That message's own References chain (its `extra.references`), oldest first. */
  references?: readonly string[];
}

export interface SentReply {
  messageId: string;
  subject: string;
  inReplyTo: string;
  references: string[];
  accepted: string[];
  rejected: string[];
}

export interface SendOptions {
  /** The SSRF guard for the SMTP host (`guardFromPolicy(config.fetch.allowPrivate)`); undefined = not checked. */
  guard?: AddressGuard;
}

/** Reply prefixes of common clients and languages: Re, AW (de), SV (sv/da/no), VS (fi), Antw (nl) … */
const REPLY_PREFIX = /^\s*(?:re|aw|sv|vs|antw|odp|ynt|res|rif)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/i;
const REFERENCES_MAX = 20;

/** "Re: " plus the subject without its earlier reply prefixes. */
export function replySubject(subject: string): string {
  let rest = subject.replace(/\s+/g, ' ').trim();
  while (REPLY_PREFIX.test(rest)) rest = rest.replace(REPLY_PREFIX, '');
  return rest ? `Re: ${rest}` : 'Re:';
}

/**
 * The threading headers of a reply. A chain longer than 20 ids keeps its root and its newest ids (clients
 * need the root to find the thread, the newest to place the reply in it).
 * @throws Error when `inReplyTo` is empty.
 */
export function replyThreading(inReplyTo: string, references: readonly string[] = []): { inReplyTo: string; references: string[] } {
  const parent = normalizeId(inReplyTo);
  if (!parent) throw new Error('a reply needs the Message-ID of the message it answers (inReplyTo)');
  const chain = references.flatMap((r) => r.split(/\s+/)).map((r) => normalizeId(r)).filter((r): r is string => r !== null && r !== parent);
  const ids = [...new Set(chain), parent];
  return { inReplyTo: parent, references: ids.length > REFERENCES_MAX ? [ids[0]!, ...ids.slice(-(REFERENCES_MAX - 1))] : ids };
}

/**
 * Send a reply. One connection per call: replies are rare and a pooled connection would outlive settings.
 * @throws Error "could not send the reply through SMTP …" naming the host and the server's answer (login refused, recipient rejected,
 *   timeout); AppError `fetch_refused` when the host is not allowed by the SSRF policy.
 */
export async function sendEmailReply(smtp: SmtpSettings, reply: EmailReply, options: SendOptions = {}): Promise<SentReply> {
  const threading = replyThreading(reply.inReplyTo, reply.references);
  const from = typeof reply.from === 'string' ? { address: reply.from } : reply.from;
  const messageId = `<${crypto.randomUUID()}@${from.address.split('@')[1] ?? 'earshot.invalid'}>`;
  const subject = replySubject(reply.subject);
  // Imported on first use: most processes never send e-mail.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(await transportOptions(smtp, options));
  try {
    const info = await transport.sendMail({
      from: toNodemailer(from),
      to: (Array.isArray(reply.to) ? reply.to : [reply.to]).map(toNodemailer),
      subject,
      text: reply.text,
      messageId,
      inReplyTo: threading.inReplyTo,
      references: threading.references,
    });
    const list = (v: unknown) => (Array.isArray(v) ? v.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address))) : []);
    return { messageId, subject, ...threading, accepted: list(info.accepted), rejected: list(info.rejected) };
  } catch (err) {
    const e = err as Error & { code?: string; response?: string };
    throw new Error(`could not send the reply through SMTP ${smtp.host}:${smtp.port}: ${e.code ? `${e.code}: ` : ''}${e.response ?? e.message}`);
  } finally {
    transport.close();
  }
}

async function transportOptions(smtp: SmtpSettings, options: SendOptions) {
  const timeoutMs = (smtp.timeoutSeconds ?? 30) * 1000;
  const target = options.guard ? await guardedTarget(smtp.host, options.guard) : { host: smtp.host };
  return {
    host: target.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && smtp.starttls === 'required',
    ignoreTLS: !smtp.secure && smtp.starttls === 'off',
    tls: { rejectUnauthorized: smtp.tlsVerify ?? true, ...(target.servername ? { servername: target.servername } : {}) },
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: 2 * timeoutMs,
  };
}

function toNodemailer(a: string | EmailAddress): string | { name: string; address: string } {
  if (typeof a === 'string') return a;
  return a.name ? { name: a.name, address: a.address } : a.address;
}
