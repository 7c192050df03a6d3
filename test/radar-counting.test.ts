/**
 * The radar counts inside the pipeline's batch transaction: a batch's stream counts commit with its mentions
 * or not at all, and counts whose scoring round never ran (the process stopped first) are scored later.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/test-db.ts';
import { startRadarApp, type RadarTestApp } from './radar/radar-app.ts';
import { BUCKET, T0, calmItems, markerEnricher } from './radar/synthetic.ts';
import { withRadar } from '../src/radar/radar.schema.ts';
import { addCounts, listStreams } from '../src/radar/radar-stream.repository.ts';

for (const dialect of DIALECTS) {
  describe(`radar counting in the batch transaction (${dialect})`, () => {
    let t: RadarTestApp;
    const db = () => withRadar(t.app.ctx.db.kysely);
    const counted = async () => {
      const volume = (await listStreams(db(), t.ws, { kind: 'volume' }))[0];
      if (!volume) return 0;
      const r = await db().selectFrom('radar_points').select((eb) => eb.fn.sum<number | string>('n').as('n')).where('stream_id', '=', volume.id).executeTakeFirst();
      return Number(r?.n ?? 0);
    };
    const mentions = async () => Number((await db().selectFrom('mentions').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      t = await startRadarApp(dialect, { start: T0, enrichers: [markerEnricher] });
    });
    after(() => t.close());

    it('commits a batch\'s stream counts with its mentions, before any scoring round', async () => {
      const items = calmItems(T0, T0 + 3_600_000);
      t.clock.set(T0 + 3_600_000);
      await t.app.ctx.pipeline.process(t.pctx, { items, cursor: null });
      // No await on the radar: the round may not have run, the counts are there.
      assert.equal(await counted(), items.length);
      assert.equal(await mentions(), items.length);
      await t.app.ctx.radar.idle();
    });

    it('rolls the counts back with the mentions when the batch fails', async () => {
      const before = [await counted(), await mentions()];
      const remove = t.app.ctx.pipeline.onStore(async () => {
        throw new Error('disk full');
      });
      try {
        t.clock.set(T0 + 2 * 3_600_000);
        await assert.rejects(t.app.ctx.pipeline.process(t.pctx, { items: calmItems(T0 + 3_600_000, T0 + 2 * 3_600_000), cursor: null }), /disk full/);
      } finally {
        remove();
      }
      assert.deepEqual([await counted(), await mentions()], before);
    });

    it('scores counts whose round never ran, once the clock passes their buckets', async () => {
      // What a batch's transaction leaves when the process stops before its round: counts in open buckets.
      const volume = (await listStreams(db(), t.ws, { kind: 'volume' }))[0]!;
      const from = T0 + 3 * 3_600_000;
      const counts = new Map([[from, 4], [from + BUCKET, 2], [from + 7 * BUCKET, 5]]);
      await addCounts(db(), t.app.ctx.db.sqlite, volume.id, counts, false);
      t.clock.set(T0 + 6 * 3_600_000);
      await t.app.ctx.radar.service.advanceStale();
      const after = (await listStreams(db(), t.ws, { kind: 'volume' }))[0]!;
      assert.ok(after.open.openBucket > from + 7 * BUCKET, 'the ticker closed the buckets');
      const points = await db().selectFrom('radar_points').select(['bucket', 'n', 'closed']).where('stream_id', '=', after.id).where('bucket', '>=', from).where('bucket', '<', from + 3_600_000).orderBy('bucket').execute();
      assert.deepEqual(points.filter((p) => p.n > 0).map((p) => [Number(p.bucket), p.n, p.closed]), [...counts].map(([b, n]) => [b, n, 1]));
    });
  });
}
