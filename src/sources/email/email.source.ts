/**
 * An IMAP mailbox as a Source: every message a customer sends to it becomes a mention.
 *
 * Cursor: `{ uidValidity, lastUid }` (JSON). A run reads the UIDs above `lastUid` in batches; each batch's
 * cursor is the highest UID it covers, skipped and rejected messages included, so a restart continues after
 * the last committed batch and never reads a message twice (nor misses one: IMAP hands out UIDs in
 * ascending order). The first run reads the newest `initialMessages`.
 *
 * UIDVALIDITY change: when the server's UIDVALIDITY differs from the cursor's, the old UIDs mean nothing
 * any more (the mailbox was recreated, restored or migrated). The source then resyncs exactly like a first
 * run — the newest `initialMessages` messages — and the pipeline's unique (source, Message-ID) rule absorbs
 * those already stored. Messages that arrived in the gap and are older than those N are not read: raise
 * `initialMessages` before a planned migration if that matters.
 *
 * Modes: with `idle` the source streams — after catching up it waits in IMAP IDLE and reads as soon as the
 * server reports a new message (EXISTS), checking anyway every `pollSeconds` and, for the scheduler's lease,
 * yielding an empty batch at least every 15 s. Without `idle` (or for a server without IDLE, which simply
 * never wakes it early) it polls: read what is new, return, run again after `pollSeconds`.
 */
import type { Logger } from '../../lib/logger.ts';
import type { Source, SourceBatch, SourceItem, SourceReject } from '../../pipeline/source.ts';
import type { SourceDeps } from '../registry.ts';
import { toMessageOutcome } from './email-message.ts';
import { emailSettings, type EmailSettings } from './email-settings.ts';
import { guardFromFetch, type AddressGuard } from './host-guard.ts';
import { describeUids, downloadUids, headersOf, imapError, openSession, uidBeforeNewest, uidsAfter, waitForChange, type ImapSession } from './imap-session.ts';

/** What the cursor string holds. UIDVALIDITY is a 32-bit unsigned number, kept as a string. */
export interface EmailCursor {
  uidValidity: string;
  lastUid: number;
}

export interface EmailStats {
  /** Messages looked at (items + skipped + rejected). */
  messages: number;
  items: number;
  skipped: { 'auto-reply': number; bounce: number };
  rejected: number;
  resyncs: number;
}

export interface EmailSourceDeps {
  /** Messages per batch (capped at 100: messages are larger than feed entries). */
  batchSize: number;
  /** Where skips, resyncs and rejects are logged; the source counts them in `stats` either way. */
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** The SSRF guard for the user-supplied host (see host-guard.ts); undefined = not checked. */
  guard?: AddressGuard;
  /** Longest silence of a streaming read (lease renewal); default 15 s. */
  keepAliveMs?: number;
}

export interface EmailSource extends Source {
  readonly streaming: boolean;
  readonly intervalSeconds: number;
  readonly stats: EmailStats;
}

const MAX_BATCH = 100;
const KEEP_ALIVE_MS = 15_000;

/**
 * Build the source. `read(cursor, signal)` yields one batch per up to `batchSize` messages.
 * @throws (from read) Error naming user, host and the server's answer (login failed, mailbox missing,
 *   connection lost); SourceRetryError when the server says it is busy; AppError `fetch_refused` when the
 *   host is not allowed by the SSRF policy. A single unreadable message is a reject, not an error.
 */
export function createEmailSource(settings: EmailSettings, deps: EmailSourceDeps): EmailSource {
  const stats: EmailStats = { messages: 0, items: 0, skipped: { 'auto-reply': 0, bounce: 0 }, rejected: 0, resyncs: 0 };
  const reader = new MailboxReader(settings, deps, stats);
  return {
    streaming: settings.idle,
    intervalSeconds: settings.pollSeconds,
    stats,
    async *read(cursor, signal): AsyncGenerator<SourceBatch> {
      const session = await openSession(settings, deps.guard, signal);
      try {
        let state = yield* reader.catchUp(session, parseEmailCursor(cursor));
        while (settings.idle && !signal.aborted) {
          // Before each wait, an empty batch: the runner commits a batch when the next one arrives (it
          // prepares one ahead), so this commits what was just read now rather than after the wait; and
          // as one comes at least every keep-alive, the runner can renew its lease on the source.
          yield { items: [] };
          const wake = await waitForChange(session, Math.min(deps.keepAliveMs ?? KEEP_ALIVE_MS, settings.pollSeconds * 1000), signal);
          if (wake === 'aborted') break;
          state = yield* reader.catchUp(session, state);
        }
      } catch (err) {
        throw imapError(err, `${settings.user} at ${settings.host}`);
      } finally {
        await session.close();
      }
    },
  };
}

/**
 * The registry's factory: settings as validated there, the SSRF policy taken from the guarded fetch.
 * (`SourceDeps` has no logger, so skips are counted in `stats` but not logged from here.)
 */
export function buildEmailSource(settings: Record<string, unknown>, deps: SourceDeps): EmailSource {
  return createEmailSource(emailSettings.parse(settings), { batchSize: deps.batchSize, guard: guardFromFetch(deps.fetch) });
}

class MailboxReader {
  constructor(
    private readonly settings: EmailSettings,
    private readonly deps: EmailSourceDeps,
    private readonly stats: EmailStats,
  ) {}

  /** Reads every message after the cursor, batch by batch. @returns the cursor after the last batch. */
  async *catchUp(session: ImapSession, cursor: EmailCursor | null): AsyncGenerator<SourceBatch, EmailCursor> {
    session.changed = false;
    const mailbox = session.mailbox();
    const uidValidity = String(mailbox.uidValidity);
    let state: EmailCursor;
    if (cursor && cursor.uidValidity === uidValidity) {
      state = cursor;
    } else {
      state = { uidValidity, lastUid: await uidBeforeNewest(session.client, mailbox, this.settings.initialMessages) };
      this.noteResync(cursor, state);
    }
    const uids = await uidsAfter(session.client, state.lastUid);
    const size = Math.max(1, Math.min(this.deps.batchSize, MAX_BATCH));
    for (let i = 0; i < uids.length; i += size) {
      const chunk = uids.slice(i, i + size);
      const next: EmailCursor = { uidValidity, lastUid: chunk.at(-1)! };
      yield { ...(await this.readChunk(session, chunk)), cursor: JSON.stringify(next) };
      state = next;
    }
    // A fresh or resynced cursor is committed even when there was nothing to read.
    if (!uids.length && state !== cursor) yield { items: [], cursor: JSON.stringify(state) };
    return state;
  }

  private async readChunk(session: ImapSession, uids: number[]): Promise<{ items: SourceItem[]; rejects: SourceReject[] }> {
    const described = await describeUids(session.client, uids);
    const tooLarge = described.filter((m) => (m.size ?? 0) > this.settings.maxMessageBytes);
    const downloaded = await downloadUids(session.client, described.filter((m) => !tooLarge.includes(m)).map((m) => m.uid));
    const items: SourceItem[] = [];
    const rejects: SourceReject[] = [];
    for (const m of downloaded.sort((a, b) => a.uid - b.uid)) {
      if (!m.source) continue;
      const outcome = await toMessageOutcome(m.source, { uid: m.uid, internalDate: toDate(m.internalDate) });
      this.stats.messages++;
      if (outcome.kind === 'item') {
        this.stats.items++;
        items.push(outcome.item);
      } else if (outcome.kind === 'reject') {
        this.stats.rejected++;
        this.deps.logger?.warn({ mailbox: this.settings.mailbox, uid: m.uid, error: outcome.reject.error }, 'e-mail message dead-lettered');
        rejects.push(outcome.reject);
      } else {
        this.stats.skipped[outcome.automated.kind]++;
        this.deps.logger?.info({ mailbox: this.settings.mailbox, uid: m.uid, messageId: outcome.messageId, reason: outcome.automated.reason }, `skipped an automated e-mail (${outcome.automated.kind})`);
      }
    }
    for (const r of await this.oversized(session, new Map(tooLarge.map((m) => [m.uid, m.size ?? 0])))) rejects.push(r);
    return { items, rejects };
  }

  /** Too large to download: dead-lettered with their headers, so an operator sees what they were. */
  private async oversized(session: ImapSession, sizes: Map<number, number>): Promise<SourceReject[]> {
    const heads = await headersOf(session.client, [...sizes.keys()]);
    this.stats.messages += heads.length;
    this.stats.rejected += heads.length;
    return heads.map((m) => ({
      externalId: /^message-id:\s*(.+)$/im.exec(m.headers?.toString('utf8') ?? '')?.[1]?.trim() ?? null,
      error: `the message is ${sizes.get(m.uid)} bytes, over the limit of ${this.settings.maxMessageBytes} bytes (maxMessageBytes)`,
      payload: { imapUid: m.uid, headers: m.headers?.toString('utf8') ?? '' },
    }));
  }

  private noteResync(previous: EmailCursor | null, next: EmailCursor): void {
    if (!previous) return;
    this.stats.resyncs++;
    this.deps.logger?.warn(
      { mailbox: this.settings.mailbox, previous: previous.uidValidity, current: next.uidValidity, resyncFromUid: next.lastUid + 1 },
      `UIDVALIDITY of the mailbox changed; re-reading the newest ${this.settings.initialMessages} messages`,
    );
  }
}

/** An unreadable cursor is treated as none (a first run): the dedupe rule absorbs what is read again. */
export function parseEmailCursor(cursor: string | null): EmailCursor | null {
  if (!cursor) return null;
  try {
    const c = JSON.parse(cursor) as Partial<EmailCursor>;
    if (typeof c.uidValidity === 'string' && Number.isInteger(c.lastUid) && (c.lastUid as number) >= 0) return { uidValidity: c.uidValidity, lastUid: c.lastUid as number };
  } catch {
    // fall through
  }
  return null;
}

function toDate(value: Date | string | undefined): Date | null {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isFinite(d.getTime()) ? d : null;
}
