/**
 * Recognises messages that no person wrote: out-of-office and other auto-replies, delivery failures
 * (bounces), read receipts and bulk mail. A support mailbox receives many of them (every reply Earshot
 * sends can trigger one); they are skipped — counted and logged, not stored and not dead-lettered, since
 * there is nothing to fix about them.
 *
 * Signals, strongest first: `Auto-Submitted` other than `no` (RFC 3834), `X-Autoreply`/`X-Autorespond`,
 * `Precedence: bulk | auto_reply | junk`, `X-Failed-Recipients`, a `multipart/report` body (RFC 6522:
 * delivery-status = bounce, disposition-notification = read receipt), a MAILER-DAEMON or postmaster sender,
 * a null return path (`Return-Path: <>`, only notifications use it, RFC 5321 §4.5.5), and the fixed subject
 * prefixes Exchange and others put on automatic replies ("Automatic reply:", "Abwesenheitsnotiz:" …). A
 * person's answer to such a message starts with "Re:" and is not caught by the subject rule.
 */

export type AutomatedKind = 'auto-reply' | 'bounce';

export interface Automated {
  kind: AutomatedKind;
  /** The header or rule that decided, e.g. "Auto-Submitted: auto-replied". */
  reason: string;
}

/** Header value by lower-case name (first occurrence, unfolded), or null. */
export type HeaderGetter = (name: string) => string | null;

const AUTO_SUBJECT =
  /^(?:Automatic reply|Auto(?:matic)?[- ]?(?:reply|response)|Out of (?:the )?Office(?: reply| AutoReply)?|Abwesenheitsnotiz|Automatische Antwort|Respuesta automática|Réponse automatique|Risposta automatica|Automatisch antwoord)\s*:/i;
const BOUNCE_SENDER = /^(?:mailer-daemon|postmaster)@/i;

/** Classify a message from its headers and sender. @returns null for a message a person wrote. */
export function classifyAutomated(header: HeaderGetter, fromAddress: string | null): Automated | null {
  return headerSignals(header) ?? reportSignal(header) ?? senderSignals(header, fromAddress);
}

function headerSignals(header: HeaderGetter): Automated | null {
  const autoSubmitted = token(header('auto-submitted'));
  if (autoSubmitted && autoSubmitted !== 'no') return { kind: 'auto-reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    const value = token(header(name));
    if (value && value !== 'no' && value !== 'false') return { kind: 'auto-reply', reason: `${name}: ${value}` };
  }
  for (const name of ['precedence', 'x-precedence']) {
    const value = token(header(name));
    if (value === 'bulk' || value === 'auto_reply' || value === 'junk') return { kind: 'auto-reply', reason: `${name}: ${value}` };
  }
  if (header('x-failed-recipients')) return { kind: 'bounce', reason: 'X-Failed-Recipients' };
  return null;
}

function reportSignal(header: HeaderGetter): Automated | null {
  const contentType = header('content-type') ?? '';
  if (!/^\s*multipart\/report\b/i.test(contentType)) return null;
  const type = /report-type\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1]?.toLowerCase() ?? 'unknown';
  const kind: AutomatedKind = type === 'disposition-notification' ? 'auto-reply' : 'bounce';
  return { kind, reason: `multipart/report; report-type=${type}` };
}

function senderSignals(header: HeaderGetter, fromAddress: string | null): Automated | null {
  if (fromAddress && BOUNCE_SENDER.test(fromAddress)) return { kind: 'bounce', reason: `sender ${fromAddress}` };
  if (header('return-path')?.trim() === '<>') return { kind: 'bounce', reason: 'null return path (Return-Path: <>)' };
  const subject = header('subject');
  if (subject && AUTO_SUBJECT.test(subject.trim())) return { kind: 'auto-reply', reason: `subject "${subject.trim().slice(0, 60)}"` };
  return null;
}

/** The first token of a header value, lower case ("auto-replied; owner=x" → "auto-replied"). */
function token(value: string | null): string | null {
  const t = value?.split(';')[0]?.trim().toLowerCase();
  return t || null;
}
