/**
 * The connector conformance suite: every polling and streaming connector runs the same checks against a
 * loopback replay of its real fixtures, through the real scheduler, pipeline and database (SQLite always,
 * PostgreSQL too when TEST_DATABASE_URL is set). The webhook intake, which is pushed to rather than run,
 * has its own block in `webhook.conformance.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DIALECTS } from '../support/test-db.ts';
import { openHarness, type Harness } from './harness.ts';
import type { ChannelReplay, ConnectorCase } from './connector-case.ts';
import { CASES } from './cases/index.ts';

const sorted = (ids: string[]) => [...ids].sort();

function assertNoDuplicates(ids: string[]): void {
  assert.equal(new Set(ids).size, ids.length, `duplicates stored: ${ids.filter((x, i) => ids.indexOf(x) !== i).join(', ')}`);
}

// Cases are independent (own replay server, own database), so they run side by side; the checks within a
// case run in order.
describe('connector conformance', { concurrency: 3 }, () => {
  for (const dialect of DIALECTS) {
    for (const c of CASES) describeCase(c, dialect);
  }
});

function describeCase(c: ConnectorCase, dialect: (typeof DIALECTS)[number]): void {
  describe(`conformance: ${c.name} [${dialect}]`, { concurrency: 1 }, () => {
    let h: Harness;
    let r: ChannelReplay;
    let id: number;
    // One database per case (a new source per check): fewer PostgreSQL schemas created and dropped.
    before(async () => {
      h = await openHarness(dialect, c.now, c.env);
    });
    after(() => h.close());
    beforeEach(async () => {
      r = await c.start();
      id = await h.addSource(c.kind, r.settings);
    });
    afterEach(() => r.server.close());

    it('first fetch stores every item once and commits a cursor', async () => {
      const report = await h.run(id);
      assert.equal(report.error, undefined);
      const ids = await h.externalIds(id);
      assert.deepEqual(sorted(ids), sorted(r.firstIds));
      assert.notEqual((await h.source(id)).cursor, null);
    });

    it('incremental fetch from the cursor stores only what is new', async () => {
      await h.run(id);
      r.publishMore();
      const report = await h.run(id);
      assert.equal(report.error, undefined);
      const ids = await h.externalIds(id);
      assertNoDuplicates(ids);
      assert.deepEqual(sorted(ids), sorted(r.allIds));
      r.assertIncremental(r.server.requests);
    });

    it('restart after an incremental read cut short: no gaps, no duplicates', async () => {
      await h.run(id);
      r.publishMore();
      if (r.dropNextStream) {
        r.dropNextStream();
        const cut = await h.run(id);
        assert.equal(cut.ok, false, 'a dropped stream fails the run (and is retried)');
      } else {
        await h.run(id, 1);
      }
      const partial = await h.externalIds(id);
      if (!c.singleBatch) assert.ok(partial.length < r.allIds.length, `the cut run should stop early (stored ${partial.length} of ${r.allIds.length})`);
      await h.restart();
      await h.run(id);
      const ids = await h.externalIds(id);
      assertNoDuplicates(ids);
      assert.deepEqual(sorted(ids), sorted(r.allIds));
    });

    it('429 with Retry-After: the run fails, waits exactly that long, keeps the cursor', async () => {
      await h.run(id);
      const before = await h.source(id);
      r.server.inject({ kind: 'status', status: 429, retryAfter: '42' }, c.faultPath);
      const report = await h.run(id);
      assert.equal(report.ok, false);
      assert.match(report.error ?? '', /429/);
      const after = await h.source(id);
      assert.equal(after.nextFetchAt, h.clock.t + 42_000);
      assert.equal(after.cursor, before.cursor);
      assert.equal(after.status, 'error');
    });

    it('5xx: the run fails, the error is recorded and the source backs off', async () => {
      r.server.inject({ kind: 'status', status: 502 }, c.faultPath);
      const report = await h.run(id);
      assert.equal(report.ok, false);
      assert.match(report.error ?? '', /502/);
      const s = await h.source(id);
      assert.equal(s.consecutiveFailures, 1);
      assert.ok(s.nextFetchAt > h.clock.t);
      assert.match(s.lastError ?? '', /502/);
      // The next success clears the failure.
      await h.run(id);
      assert.equal((await h.source(id)).consecutiveFailures, 0);
    });

    // Waiting out a timeout costs seconds and does not depend on the database: checked on SQLite only.
    it('a server that never answers fails the run with a clear timeout', { skip: dialect !== 'sqlite' && 'network-only check, run on SQLite' }, async () => {
      r.server.inject({ kind: 'hang' }, c.faultPath);
      const report = await h.run(id);
      assert.equal(report.ok, false);
      assert.match(report.error ?? '', /did not answer within|no WebSocket handshake within/);
    });

    it(c.malformed === 'body' ? 'a malformed response fails the run clearly; a malformed item is dead-lettered' : 'a malformed frame or item is dead-lettered', async () => {
      if (c.malformed === 'body') {
        r.server.inject({ kind: 'malformed' }, c.faultPath);
        const report = await h.run(id);
        assert.equal(report.ok, false);
        assert.match(report.error ?? '', c.malformedError!);
      }
      r.serveBadItem();
      await h.run(id);
      const dead = await h.deadLetters(id);
      assert.ok(dead.length >= 1, 'the bad item is kept as a dead letter');
      assert.equal(dead[0]!.stage, 'source');
      assert.deepEqual(sorted(await h.externalIds(id)), sorted(r.firstIds), 'the good items are stored anyway');
    });

    if (c.reply) {
      it('reply-back sends the channel call in the documented shape', async () => {
        await c.reply!(r);
      });
    }
  });
}
