/**
 * The e-mail source against a real IMAP server: a private Dovecot started on a loopback port (see
 * testing/dovecot.ts). Skipped, saying why, where Dovecot is not installed; CI installs it.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ImapFlow } from 'imapflow';
import { AppError } from '../../lib/errors.ts';
import type { SourceBatch, SourceItem } from '../../pipeline/source.ts';
import { getSourceKind, maskSecrets, validateSettings } from '../registry.ts';
import { createEmailSource, parseEmailCursor, type EmailSource } from './email.source.ts';
import { guardFromPolicy } from './host-guard.ts';
import { findDovecot, startDovecot, type DovecotServer } from './testing/dovecot.ts';
import { customerMail, deliver, deliveryClient, fixture, settingsFor } from './testing/mailbox-helpers.ts';

const DOVECOT = findDovecot();
const SKIP = DOVECOT ? false : 'Dovecot is not installed (apt-get install dovecot-imapd): the IMAP tests are skipped';
if (SKIP) console.warn(`# ${SKIP}`);

async function readAll(source: EmailSource, cursor: string | null): Promise<SourceBatch[]> {
  const batches: SourceBatch[] = [];
  for await (const b of source.read(cursor, new AbortController().signal)) batches.push(b);
  return batches;
}
const idsOf = (batches: SourceBatch[]) => batches.flatMap((b) => b.items.map((i: SourceItem) => i.externalId));
const lastCursor = (batches: SourceBatch[]) => [...batches].reverse().find((b) => b.cursor !== undefined)?.cursor ?? null;

describe('e-mail source on a real IMAP server (Dovecot, loopback)', { skip: SKIP }, () => {
  let server: DovecotServer;
  let admin: ImapFlow;

  before(async () => {
    server = await startDovecot(DOVECOT!);
    admin = await deliveryClient(server);
  });
  after(async () => {
    await admin?.logout().catch(() => undefined);
    await server?.stop();
  });

  it('reads every message in UID batches, skips auto-replies and bounces, rejects the unreadable, leaves flags alone', async () => {
    await admin.mailboxCreate('First');
    const names = ['customer_complaint_thread_1.eml', 'auto_reply_out_of_office.eml', 'de_reply_windows1252.eml', 'mailparser_delivery-status.eml', 'malformed_not_an_email.eml', 'es_reply_iphone.eml', 'en_html_blockquote.eml'];
    await deliver(admin, 'First', names.map(fixture));
    const source = createEmailSource(settingsFor(server, 'First'), { batchSize: 3 });
    const batches = await readAll(source, null);
    assert.deepEqual(idsOf(batches), ['<CAF3k9x-0001@mail.example.net>', '<de-4711-2@mail.example.de>', '<ES-8812-REPLY@example.es>', '<html-only-1@example.org>']);
    assert.deepEqual(batches.map((b) => parseEmailCursor(b.cursor ?? null)?.lastUid), [3, 6, 7]);
    assert.equal(batches.flatMap((b) => b.rejects ?? []).length, 1);
    assert.match(batches[1]!.rejects![0]!.error, /no From address/);
    assert.deepEqual(source.stats, { messages: 7, items: 4, skipped: { 'auto-reply': 1, bounce: 1 }, rejected: 1, resyncs: 0 });
    const de = batches.flatMap((b) => b.items).find((i) => i.externalId === '<de-4711-2@mail.example.de>')!;
    assert.match(de.text, /59,90 € abgebucht\. „In Kürze“ reicht mir nicht – ich/);
    await admin.mailboxOpen('First', { readOnly: true });
    const flags = await admin.fetchAll('1:*', { uid: true, flags: true }, { uid: true });
    assert.ok(flags.every((m) => !m.flags?.has('\\Seen')), 'EXAMINE + BODY.PEEK: nothing marked as read');
  });

  it('reads the newest N on a first run, then only what is new after the cursor', async () => {
    await admin.mailboxCreate('Incremental');
    await deliver(admin, 'Incremental', ['a1', 'a2', 'a3', 'a4'].map((id) => customerMail(id, `message ${id}`)));
    const source = createEmailSource(settingsFor(server, 'Incremental', { initialMessages: 2 }), { batchSize: 10 });
    const first = await readAll(source, null);
    assert.deepEqual(idsOf(first), ['<a3@customer.example>', '<a4@customer.example>']);
    const cursor = lastCursor(first);
    const status = await admin.status('Incremental', { uidValidity: true });
    assert.deepEqual(JSON.parse(cursor!), { uidValidity: String(status && status.uidValidity), lastUid: 4 });
    assert.deepEqual(await readAll(source, cursor), [], 'nothing new: no batch at all');
    await deliver(admin, 'Incremental', [customerMail('a5', 'message a5')]);
    const next = await readAll(source, cursor);
    assert.deepEqual(idsOf(next), ['<a5@customer.example>']);
    assert.equal(parseEmailCursor(lastCursor(next))?.lastUid, 5);
  });

  it('commits a cursor for an empty mailbox, and one that skips history when initialMessages is 0', async () => {
    await admin.mailboxCreate('Empty');
    const empty = await readAll(createEmailSource(settingsFor(server, 'Empty'), { batchSize: 10 }), null);
    assert.deepEqual(empty.map((b) => [b.items.length, parseEmailCursor(b.cursor ?? null)?.lastUid]), [[0, 0]]);
    await deliver(admin, 'Empty', [customerMail('old', 'history')]);
    const none = await readAll(createEmailSource(settingsFor(server, 'Empty', { initialMessages: 0 }), { batchSize: 10 }), null);
    assert.deepEqual(none.map((b) => [b.items.length, parseEmailCursor(b.cursor ?? null)?.lastUid]), [[0, 1]]);
  });

  it('streams with IDLE: a message delivered while it waits is yielded without a poll', { timeout: 30_000 }, async () => {
    await admin.mailboxCreate('Idle');
    await deliver(admin, 'Idle', [customerMail('i1', 'before the stream')]);
    // Poll and keep-alive far beyond the test's timeout: only the server's EXISTS can wake the source.
    const source = createEmailSource(settingsFor(server, 'Idle', { idle: true, pollSeconds: 3600 }), { batchSize: 10, keepAliveMs: 600_000 });
    assert.equal(source.streaming, true);
    const abort = new AbortController();
    const seen: string[] = [];
    for await (const batch of source.read(null, abort.signal)) {
      seen.push(...batch.items.map((i) => i.externalId));
      if (seen.length === 1 && batch.items.length) await deliver(admin, 'Idle', [customerMail('i2', 'pushed while idling')]);
      if (seen.length === 2) abort.abort();
    }
    assert.deepEqual(seen, ['<i1@customer.example>', '<i2@customer.example>']);
  });

  it('speaks implicit TLS and STARTTLS; a self-signed certificate passes only with tlsVerify false', async (t) => {
    if (!server.tlsPort) return t.skip('openssl is not installed, so the test server has no certificate');
    const logins = () => server.log().split('\n').filter((l) => /imap-login: (?:Info: )?Login:/.test(l));
    const read = (overrides: Record<string, unknown>) => readAll(createEmailSource(settingsFor(server, 'INBOX', overrides), { batchSize: 10 }), null);
    const before = logins().length;
    assert.equal((await read({ secure: true, port: server.tlsPort, tlsVerify: false })).length, 1);
    assert.equal((await read({ starttls: 'required', tlsVerify: false })).length, 1);
    const encrypted = logins().slice(before);
    assert.equal(encrypted.length, 2);
    assert.ok(encrypted.every((l) => /, TLS[,:]/.test(l)), encrypted.join('\n'));
    await assert.rejects(read({ secure: true, port: server.tlsPort }), /self[- ]signed|certificate/i);
    await assert.rejects(read({ starttls: 'required' }), /self[- ]signed|certificate/i);
  });

  it('explains a missing mailbox, a host the SSRF policy refuses and a wrong password (keep this test last)', async () => {
    const missing = createEmailSource(settingsFor(server, 'Nope'), { batchSize: 10 });
    await assert.rejects(readAll(missing, null), /^Error: IMAP error for support@example\.test at 127\.0\.0\.1:\d+: .*Nope/i);
    const refused = createEmailSource(settingsFor(server, 'INBOX'), { batchSize: 10, guard: guardFromPolicy([]) });
    await assert.rejects(readAll(refused, null), (e) => e instanceof AppError && e.code === 'fetch_refused');
    const allowed = createEmailSource(settingsFor(server, 'INBOX'), { batchSize: 10, guard: guardFromPolicy(['loopback']) });
    assert.equal((await readAll(allowed, null)).length, 1);
    // Last on purpose: after a failed login Dovecot delays further logins from this address for seconds.
    const wrong = createEmailSource(settingsFor(server, 'INBOX', { password: 'wrong' }), { batchSize: 10 });
    await assert.rejects(readAll(wrong, null), (e: Error) => /^IMAP login failed for support@example\.test at 127\.0\.0\.1:\d+/.test(e.message) && !e.message.includes(server.password));
  });
});

describe('e-mail source on an IMAP server without IDLE (Dovecot announcing no IDLE)', { skip: SKIP }, () => {
  let server: DovecotServer;
  before(async () => {
    server = await startDovecot(DOVECOT!, { capability: 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS AUTH=PLAIN' });
  });
  after(() => server?.stop());

  it('still streams: it falls back to checking the mailbox on its timer', { timeout: 30_000 }, async () => {
    const admin = await deliveryClient(server);
    try {
      assert.equal(admin.capabilities.has('IDLE'), false);
      const source = createEmailSource(settingsFor(server, 'INBOX', { idle: true }), { batchSize: 10, keepAliveMs: 200 });
      const abort = new AbortController();
      const seen: string[] = [];
      let delivered = false;
      for await (const batch of source.read(null, abort.signal)) {
        seen.push(...batch.items.map((i) => i.externalId));
        if (!delivered) await deliver(admin, 'INBOX', [customerMail('p1', 'arrives while the source waits')]);
        delivered = true;
        if (seen.length) abort.abort();
      }
      assert.deepEqual(seen, ['<p1@customer.example>']);
    } finally {
      await admin.logout().catch(() => undefined);
    }
  });
});

describe('e-mail source without a server', () => {
  it('times out on a server that accepts the connection but never greets', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const settings = settingsFor({ host: '127.0.0.1', port, user: 'u@example.test', password: 'p' } as DovecotServer, 'INBOX', { timeoutSeconds: 1 });
      await assert.rejects(readAll(createEmailSource(settings, { batchSize: 1 }), null), /^Error: IMAP error for u@example\.test at 127\.0\.0\.1:\d+: .*(timeout|timed out)/i);
    } finally {
      silent.close();
    }
  });

  it('treats an unreadable cursor as none (a first run; the dedupe rule absorbs what is read again)', () => {
    assert.deepEqual(parseEmailCursor('{"uidValidity":"17","lastUid":4}'), { uidValidity: '17', lastUid: 4 });
    for (const bad of [null, '', 'not json', '{"uidValidity":17,"lastUid":4}', '{"uidValidity":"17","lastUid":-1}', '[]']) assert.equal(parseEmailCursor(bad), null, String(bad));
  });

  it('validates settings in the registry and masks the passwords', () => {
    const kind = getSourceKind('email');
    const ok = validateSettings(kind, { host: 'imap.example.com', user: 'support@example.com', password: 'correct horse battery staple' });
    assert.deepEqual([ok.port, ok.secure, ok.starttls, ok.mailbox, ok.idle, ok.initialMessages], [undefined, true, 'required', 'INBOX', true, 50]);
    assert.throws(() => validateSettings(kind, { host: '', user: 'u', password: '' }), (e: Error & { fields?: Record<string, string> }) => !!e.fields?.['settings.host'] && !!e.fields?.['settings.password']);
    assert.throws(() => validateSettings(kind, { host: 'h', user: 'u', password: 'p', secure: false, port: 993 }), /invalid settings/);
    assert.throws(() => validateSettings(kind, { host: 'h', user: 'u', password: 'p', hots: 'typo' }), /invalid settings/);
    const masked = maskSecrets('email', ok);
    assert.notEqual(masked.password, ok.password);
  });
});
