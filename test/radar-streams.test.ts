/**
 * Radar stream repository on every dialect: streams are created once per subject, open-bucket counts add up,
 * late counts land on closed buckets without reopening them, and a stream saved from a stale version is
 * refused (two processes cannot both advance a stream from the same state).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, openTestDb, type TestDb } from './support/test-db.ts';
import { insertWorkspace } from '../src/workspaces/workspace.repository.ts';
import { insertBrand } from '../src/brands/brand.repository.ts';
import { withRadar } from '../src/radar/radar.schema.ts';
import { addCounts, upsertPoints, ensureStreams, listOpenCounts, listPoints, loadStates, saveStream } from '../src/radar/radar-stream.repository.ts';
import { streamKeyId } from '../src/radar/stream-deltas.ts';

const T = Date.UTC(2026, 0, 5);
const B = 300_000;

for (const dialect of DIALECTS) {
  describe(`radar stream repository (${dialect})`, () => {
    let db: TestDb;
    let ws: number;
    let brand: number;
    before(async () => {
      db = await openTestDb(dialect);
      ws = (await insertWorkspace(db.kysely, 'Streams', T)).id;
      brand = (await insertBrand(db.kysely, ws, { name: 'Acme', kind: 'own', query: 'acme', languages: [] }, T)).id;
    });
    after(() => db.close());

    it('creates each stream once and refuses a save from a stale version', async () => {
      const k = withRadar(db.kysely);
      const keys = [{ brandId: brand, kind: 'volume' as const, topic: '' }, { brandId: brand, kind: 'topic' as const, topic: 'delays' }];
      const first = await ensureStreams(k, ws, keys, T);
      const again = await ensureStreams(k, ws, keys, T);
      assert.deepEqual([...again.values()].map((s) => s.id).sort(), [...first.values()].map((s) => s.id).sort());
      const volume = first.get(streamKeyId(keys[0]!))!;
      assert.equal(await saveStream(k, volume, { openBucket: T, openCount: 3 }, '{"n":1}', 0.2, T), true);
      assert.equal(await saveStream(k, volume, { openBucket: T + B, openCount: 1 }, '{"n":2}', 0.1, T), false, 'stale version');
      const fresh = (await ensureStreams(k, ws, [keys[0]!], T)).get(streamKeyId(keys[0]!))!;
      assert.deepEqual([fresh.version, fresh.open], [1, { openBucket: T, openCount: 3 }]);
      assert.deepEqual((await loadStates(k, [volume.id])).get(volume.id), { n: 1 });
    });

    it('adds counts to open buckets and late counts to closed ones', async () => {
      const k = withRadar(db.kysely);
      const s = [...(await ensureStreams(k, ws, [{ brandId: brand, kind: 'negative', topic: '' }], T)).values()][0]!;
      await addCounts(k, db.sqlite, s.id, new Map([[T, 2], [T + B, 1]]), false);
      await addCounts(k, db.sqlite, s.id, new Map([[T + B, 4]]), false);
      assert.deepEqual([...(await listOpenCounts(k, s.id, T))].sort(), [[T, 2], [T + B, 5]]);
      await k.updateTable('radar_points').set({ closed: 1 }).where('stream_id', '=', s.id).where('bucket', '=', T).execute();
      await addCounts(k, db.sqlite, s.id, new Map([[T, 3]]), true);
      assert.deepEqual([...(await listOpenCounts(k, s.id, T))], [[T + B, 5]]);
      assert.deepEqual((await listPoints(k, s.id, T, T + 2 * B)).map((p) => [p.n, p.closed]), [[5, true], [5, false]]);
    });

    it('writes scores without touching counts a batch added meanwhile', async () => {
      const k = withRadar(db.kysely);
      const s = [...(await ensureStreams(k, ws, [{ brandId: brand, kind: 'volume', topic: '' }], T)).values()][0]!;
      await addCounts(k, db.sqlite, s.id, new Map([[T, 4]]), false);
      // A round scored the bucket when it held 3 mentions; a 4th was counted by a batch before the round wrote.
      const why = { extremity: 0, seasonal: 0, novelty: 0, volatility: 0 };
      await upsertPoints(k, db.sqlite, s.id, [{ bucket: T, n: 3, score: 0.8, band: { expected: 1, lo: 0, hi: 2 }, why, closed: true }, { bucket: T + B, n: 0, score: 0, band: null, why, closed: false }]);
      const points = await listPoints(k, s.id, T, T + 2 * B);
      assert.deepEqual(points.map((p) => [p.bucket, p.n, p.score, p.hi, p.closed]), [[T, 4, 0.8, 2, true], [T + B, 0, 0, null, false]]);
    });
  });
}
