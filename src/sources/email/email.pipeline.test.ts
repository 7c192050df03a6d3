/**
 * The e-mail source end to end: a private Dovecot on loopback → registry → scheduler → real Pipeline →
 * SQLite file (and PostgreSQL when TEST_DATABASE_URL is set). A "restart" closes the whole context and
 * opens a new one on the same database, as a process restart would. Skipped where Dovecot is missing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ImapFlow } from 'imapflow';
import { createContext } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { loadConfig, type Config } from '../../config.ts';
import type { DialectName } from '../../db/connection.ts';
import { createLogger } from '../../lib/logger.ts';
import type { RunReport } from '../../pipeline/scheduler.ts';
import { insertBrand } from '../../brands/brand.repository.ts';
import { insertWorkspace } from '../../workspaces/workspace.repository.ts';
import { getSourceById } from '../source.repository.ts';
import { createSource } from '../source.service.ts';
import { DIALECTS, openTestDb, type TestDb } from '../../../test/support/test-db.ts';
import { parseEmailCursor } from './email.source.ts';
import { findDovecot, startDovecot, type DovecotServer } from './testing/dovecot.ts';
import { customerMail, deliver, deliveryClient, fixture, recreateMailbox, settingsFor } from './testing/mailbox-helpers.ts';

const DOVECOT = findDovecot();

/** Waits until `check` holds (the test's own timeout bounds it). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}
const SKIP = DOVECOT ? false : 'Dovecot is not installed (apt-get install dovecot-imapd): the IMAP pipeline tests are skipped';

let server: DovecotServer;
let admin: ImapFlow;

describe('e-mail source through the pipeline', { skip: SKIP }, () => {
  before(async () => {
    server = await startDovecot(DOVECOT!);
    admin = await deliveryClient(server);
  });
  after(async () => {
    await admin?.logout().catch(() => undefined);
    await server?.stop();
  });
  for (const dialect of DIALECTS) describeDialect(dialect);
});

interface World {
  ctx: AppContext;
  workspaceId: number;
  brandId: number;
  restart(): Promise<void>;
}

function describeDialect(dialect: DialectName): void {
  describe(dialect, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-email-'));
    let testDb: TestDb;
    let config: Config;
    let w: World;

    before(async () => {
      testDb = await openTestDb(dialect, path.join(dir, 'earshot.db'));
      // INGEST_BATCH_SIZE=2: several batches per run, so a run can be cut short between two of them.
      // FETCH_ALLOW_PRIVATE=loopback: the SSRF guard applies to the IMAP host too, and Dovecot is on 127.0.0.1.
      const env = { LOG_LEVEL: 'silent', RUN_SOURCES: 'false', INGEST_BATCH_SIZE: '2', FETCH_ALLOW_PRIVATE: 'loopback' };
      config = { ...loadConfig({}, env), database: testDb.databaseConfig };
      const open = () => createContext(config, { logger: createLogger('silent'), enrichers: [] });
      const ctx = await open();
      const ws = await insertWorkspace(ctx.db.kysely, 'Mail', Date.now());
      const brand = await insertBrand(ctx.db.kysely, ws.id, { name: 'Acme', kind: 'own', query: 'acme', languages: [] }, Date.now());
      w = { ctx, workspaceId: ws.id, brandId: brand.id, restart: async () => {
        await w.ctx.db.close();
        w.ctx = await open();
      } };
    });
    after(async () => {
      await w?.ctx.db.close();
      await testDb?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** A source reading `mailbox`, with a fixed brand so that every message is stored. */
    async function addSource(mailbox: string, overrides: Record<string, unknown> = {}): Promise<number> {
      const settings = { ...settingsFor(server, mailbox), ...overrides };
      return (await createSource(w.ctx, w.workspaceId, { kind: 'email', name: mailbox, settings, brandId: w.brandId })).id;
    }
    function run(sourceId: number, stopAfterBatches?: number): Promise<RunReport> {
      const abort = new AbortController();
      return w.ctx.scheduler.runNow(sourceId, abort.signal, (r) => {
        if (stopAfterBatches !== undefined && r.batches >= stopAfterBatches) abort.abort();
      });
    }
    async function stored(sourceId: number): Promise<string[]> {
      const rows = await w.ctx.db.kysely.selectFrom('mentions').select('external_id').where('source_id', '=', sourceId).orderBy('id').execute();
      return rows.map((r) => r.external_id);
    }
    const ids = (...names: string[]) => names.map((n) => `<${n}@customer.example>`);
    const box = (name: string) => `${name}-${dialect}`;

    it('first fetch, restart, incremental fetch: every message stored once, with its thread and author', async () => {
      await admin.mailboxCreate(box('Restart'));
      await deliver(admin, box('Restart'), [fixture('customer_complaint_thread_1.eml'), customerMail('r1', 'Acme lost my parcel'), customerMail('r2', 'Acme charged me twice')]);
      const id = await addSource(box('Restart'));
      const first = await run(id);
      assert.deepEqual([first.ok, first.stored, first.failed], [true, 3, 0]);
      await w.restart();
      await deliver(admin, box('Restart'), [customerMail('r3', 'Still waiting for Acme'), customerMail('r4', 'Acme support never answers')]);
      const second = await run(id);
      assert.deepEqual([second.stored, second.known], [2, 0]);
      assert.deepEqual(await stored(id), ['<CAF3k9x-0001@mail.example.net>', ...ids('r1', 'r2', 'r3', 'r4')]);
      assert.deepEqual(await run(id), { ok: true, batches: 0, stored: 0, known: 0, filtered: 0, failed: 0 });
      const jane = await w.ctx.db.kysely.selectFrom('mentions').selectAll().where('external_id', '=', '<CAF3k9x-0001@mail.example.net>').executeTakeFirstOrThrow();
      assert.equal(jane.channel, 'email');
      assert.equal(jane.parent_external_id, '<order-10293-shipped@notify.acme.example>');
      assert.doesNotMatch(jane.text, /wrote:/);
    });

    it('a run cut short between batches resumes after a restart without gaps or duplicates', async () => {
      await admin.mailboxCreate(box('Cut'));
      await deliver(admin, box('Cut'), ['c1', 'c2', 'c3', 'c4', 'c5'].map((n) => customerMail(n, `Acme complaint ${n}`)));
      const id = await addSource(box('Cut'));
      // Aborted after the first committed batch (the runner may commit the one it read ahead, too).
      const cut = await run(id, 1);
      assert.ok(cut.stored >= 2 && cut.stored < 5, `stored ${cut.stored}`);
      assert.equal(parseEmailCursor((await getSourceById(w.ctx.db.kysely, w.workspaceId, id)).cursor)?.lastUid, cut.stored, 'the cursor is exactly at the last stored message');
      await w.restart();
      const rest = await run(id);
      assert.deepEqual([rest.stored, rest.known], [5 - cut.stored, 0]);
      assert.deepEqual(await stored(id), ids('c1', 'c2', 'c3', 'c4', 'c5'));
    });

    it('after a UIDVALIDITY change it re-reads the newest messages and stores only the new ones', async () => {
      await recreateMailbox(admin, box('Migrated'));
      await deliver(admin, box('Migrated'), ['m1', 'm2', 'm3'].map((n) => customerMail(n, `Acme message ${n}`)));
      const id = await addSource(box('Migrated'), { initialMessages: 3 });
      await run(id);
      const before = parseEmailCursor((await getSourceById(w.ctx.db.kysely, w.workspaceId, id)).cursor)!;
      // The mailbox is recreated (a server migration): same messages, new UIDs, new UIDVALIDITY.
      await recreateMailbox(admin, box('Migrated'));
      await deliver(admin, box('Migrated'), ['m1', 'm2', 'm3', 'm4'].map((n) => customerMail(n, `Acme message ${n}`)));
      const report = await run(id);
      assert.deepEqual([report.ok, report.stored, report.known], [true, 1, 2], 'newest 3 re-read: m2 and m3 known, m4 new');
      const after = parseEmailCursor((await getSourceById(w.ctx.db.kysely, w.workspaceId, id)).cursor)!;
      assert.notEqual(after.uidValidity, before.uidValidity);
      assert.equal(after.lastUid, 4);
      assert.deepEqual(await stored(id), ids('m1', 'm2', 'm3', 'm4'));
    });

    it('streams with IDLE: a message delivered during the run is stored while the run goes on', { timeout: 30_000 }, async () => {
      await admin.mailboxCreate(box('Live'));
      await deliver(admin, box('Live'), [customerMail('l1', 'Acme, before the stream')]);
      const id = await addSource(box('Live'), { idle: true });
      const abort = new AbortController();
      const running = w.ctx.scheduler.runNow(id, abort.signal);
      await until(async () => (await stored(id)).length === 1);
      await deliver(admin, box('Live'), [customerMail('l2', 'Acme, pushed while idling')]);
      await until(async () => (await stored(id)).length === 2);
      abort.abort();
      const report = await running;
      assert.deepEqual([report.ok, report.stored], [true, 2]);
      assert.deepEqual(await stored(id), ids('l1', 'l2'));
    });

    it('refuses a loopback IMAP host unless FETCH_ALLOW_PRIVATE allows it, and records why on the source', async () => {
      const id = await addSource('INBOX');
      const strict = await createContext({ ...config, fetch: { ...config.fetch, allowPrivate: [] } }, { logger: createLogger('silent'), enrichers: [] });
      try {
        const report = await strict.scheduler.runNow(id, new AbortController().signal);
        assert.equal(report.ok, false);
        assert.match(report.error ?? '', /^Refused to connect to 127\.0\.0\.1: .*FETCH_ALLOW_PRIVATE/);
        assert.match((await getSourceById(strict.db.kysely, w.workspaceId, id)).lastError ?? '', /Refused to connect/);
      } finally {
        await strict.db.close();
      }
    });

    it('dead-letters a malformed message; auto-replies and bounces are skipped, not dead-lettered', async () => {
      await admin.mailboxCreate(box('Noise'));
      const noise = ['auto_reply_out_of_office.eml', 'mailparser_delivery-status.eml', 'auto_reply_precedence.eml', 'malformed_not_an_email.eml'].map(fixture);
      await deliver(admin, box('Noise'), [...noise, customerMail('n1', 'Acme, my order never came')]);
      const id = await addSource(box('Noise'));
      const report = await run(id);
      assert.deepEqual([report.ok, report.stored, report.failed], [true, 1, 1]);
      assert.deepEqual(await stored(id), ids('n1'));
      const letters = await w.ctx.db.kysely.selectFrom('dead_letters').select(['stage', 'error', 'payload']).where('source_id', '=', id).execute();
      assert.equal(letters.length, 1);
      assert.equal(letters[0]!.stage, 'source');
      assert.match(letters[0]!.error, /no From address/);
      assert.match(JSON.parse(letters[0]!.payload).source, /^this is not an e-mail message/);
      assert.equal(parseEmailCursor((await getSourceById(w.ctx.db.kysely, w.workspaceId, id)).cursor)?.lastUid, 5, 'skipped and rejected messages are acknowledged too');
    });
  });
}
