/**
 * The IMAP side of the e-mail source: connect (with the SSRF guard when a policy is given), open the
 * mailbox read-only, find UIDs, download messages, wait in IDLE, and turn imapflow's errors into messages
 * an operator can act on. The mailbox is opened with EXAMINE and messages are fetched with BODY.PEEK, so
 * Earshot never changes a flag: the support team's "unread" state stays theirs.
 */
import type { FetchMessageObject, ImapFlow, MailboxObject } from 'imapflow';
import { AppError } from '../../lib/errors.ts';
import { SourceRetryError } from '../../pipeline/source.ts';
import { imapOptions, type EmailSettings } from './email-settings.ts';
import { guardedTarget, type AddressGuard } from './host-guard.ts';

export interface ImapSession {
  client: ImapFlow;
  mailbox(): MailboxObject;
  /** Set by every EXISTS the server sends; cleared by the caller before it looks for new messages. */
  changed: boolean;
  close(): Promise<void>;
}

/** Servers that answer [UNAVAILABLE] / [LIMIT] (too many connections) are asked again after this long. */
const BUSY_RETRY_MS = 60_000;

/**
 * Connect, log in and EXAMINE the mailbox.
 * @param guard the SSRF guard for the host; undefined skips the check.
 * @throws Error naming host, user and the server's answer; SourceRetryError when the server is busy;
 *   AppError `fetch_refused` when the host resolves to an address the policy forbids.
 */
export async function openSession(settings: EmailSettings, guard: AddressGuard | undefined, signal: AbortSignal): Promise<ImapSession> {
  const options = imapOptions(settings);
  const where = `${settings.user} at ${settings.host}:${options.port}`;
  if (guard) {
    try {
      Object.assign(options, await guardedTarget(settings.host, guard));
    } catch (err) {
      throw imapError(err, where);
    }
  }
  // Imported on first use: a process without an e-mail source never loads the IMAP client.
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow(options);
  // Without a listener an 'error' event would crash the process; the failing command reports it anyway.
  client.on('error', () => {});
  const onAbort = () => client.close();
  signal.addEventListener('abort', onAbort, { once: true });
  const session: ImapSession = { client, changed: false, mailbox: () => client.mailbox as MailboxObject, close: () => closeQuietly(client) };
  client.on('exists', () => (session.changed = true));
  try {
    await client.connect();
    await client.mailboxOpen(settings.mailbox, { readOnly: true });
    return session;
  } catch (err) {
    client.close();
    throw imapError(err, where);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** UIDs greater than `lastUid`, ascending. */
export async function uidsAfter(client: ImapFlow, lastUid: number): Promise<number[]> {
  // "n:*" with n above the highest UID still matches the highest message (RFC 3501 §6.4.8), hence the filter.
  const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
  return (found || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
}

/** The UID just below the newest `n` messages (so that "after it" means those n), or uidNext - 1. */
export async function uidBeforeNewest(client: ImapFlow, mailbox: MailboxObject, n: number): Promise<number> {
  const fallback = Math.max(0, (mailbox.uidNext ?? 1) - 1);
  if (n === 0 || mailbox.exists === 0) return fallback;
  const first = await client.fetchOne(String(Math.max(1, mailbox.exists - n + 1)), { uid: true });
  return first ? first.uid - 1 : fallback;
}

/** Size and arrival time of each UID (cheap: no bodies), to decide what to download. */
export async function describeUids(client: ImapFlow, uids: number[]): Promise<FetchMessageObject[]> {
  return client.fetchAll(uids.join(','), { uid: true, size: true, internalDate: true }, { uid: true });
}

/** Full sources (BODY.PEEK[]) of the given UIDs. */
export async function downloadUids(client: ImapFlow, uids: number[]): Promise<FetchMessageObject[]> {
  if (!uids.length) return [];
  return client.fetchAll(uids.join(','), { uid: true, source: true, internalDate: true }, { uid: true });
}

/** Headers only, for messages too large to download. */
export async function headersOf(client: ImapFlow, uids: number[]): Promise<FetchMessageObject[]> {
  if (!uids.length) return [];
  return client.fetchAll(uids.join(','), { uid: true, headers: true }, { uid: true });
}

export type WakeReason = 'exists' | 'timeout' | 'aborted';

/**
 * IDLE until the server reports a new message, `ms` pass, or `signal` aborts. Where the server has no IDLE,
 * imapflow sends NOOPs instead and the timeout makes this a poll. The next command ends the IDLE.
 * @throws Error when the connection closes while waiting.
 */
export function waitForChange(session: ImapSession, ms: number, signal: AbortSignal): Promise<WakeReason> {
  if (signal.aborted) return Promise.resolve('aborted');
  if (session.changed) return Promise.resolve('exists');
  const { client } = session;
  return new Promise((resolve, reject) => {
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      client.off('exists', onExists);
      client.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onExists = () => finish(() => resolve('exists'));
    const onClose = () => finish(() => reject(new Error(`the IMAP server closed the connection${client.byeReason ? `: ${client.byeReason}` : ''}`)));
    const onAbort = () => finish(() => resolve('aborted'));
    const timer = setTimeout(() => finish(() => resolve('timeout')), ms);
    client.on('exists', onExists);
    client.on('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
    client.idle().catch(() => {});
  });
}

async function closeQuietly(client: ImapFlow): Promise<void> {
  if (!client.usable) return client.close();
  // A LOGOUT that hangs (dead link) must not keep the run open: give it a few seconds.
  const timer = setTimeout(() => client.close(), 5000);
  try {
    await client.logout();
  } catch {
    client.close();
  } finally {
    clearTimeout(timer);
  }
}

interface ImapErrorFields {
  code?: string;
  responseText?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
}

/** An operator-readable error for an imapflow failure; never contains the password. */
export function imapError(err: unknown, where: string): Error {
  if (err instanceof SourceRetryError || err instanceof AppError) return err;
  const e = (err ?? {}) as ImapErrorFields & { message?: string };
  const detail = e.responseText || e.message || String(err);
  if (e.authenticationFailed) return new Error(`IMAP login failed for ${where}: ${detail}`);
  if (e.serverResponseCode === 'UNAVAILABLE' || e.serverResponseCode === 'LIMIT' || /\[(UNAVAILABLE|LIMIT)\]/.test(detail)) {
    return new SourceRetryError(`the IMAP server for ${where} is busy: ${detail}`, BUSY_RETRY_MS);
  }
  return new Error(`IMAP error for ${where}: ${e.code ? `${e.code}: ` : ''}${detail}`);
}
