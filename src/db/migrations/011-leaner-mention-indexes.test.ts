import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DIALECTS, openTestDb } from '../../../test/support/test-db.ts';
import { migrateToLatest } from '../migrate.ts';

for (const dialect of DIALECTS) {
  describe(`migration 011 (leaner mention indexes), ${dialect}`, () => {
    it('keeps the brand links stored before it, their uniqueness, their cascades and the mention order', async () => {
      const db = await openTestDb(dialect, ':memory:', '010-partial-parent-index');
      try {
        const k = db.kysely;
        const ws = await k.insertInto('workspaces').values({ name: 'w', created_at: 0 }).returning('id').executeTakeFirstOrThrow();
        const brand = (name: string) => ({ workspace_id: ws.id, name, kind: 'own' as const, query: name, languages: '[]', created_at: 0, updated_at: 0 });
        const [a, b] = await k.insertInto('brands').values([brand('a'), brand('b')]).returning('id').execute();
        const src = await k.insertInto('sources').values({ workspace_id: ws.id, kind: 'file', name: 's', config: '{}', enabled: 1, status: 'idle', next_fetch_at: 0, created_at: 0, updated_at: 0 }).returning('id').executeTakeFirstOrThrow();
        // Three mentions, two of them at the same instant: the tie is broken by id, newest first.
        const mention = (externalId: string, publishedAt: number) => ({
          workspace_id: ws.id, source_id: src.id, external_id: externalId, channel: 'import', text: externalId, published_at: publishedAt, ingested_at: 0,
        });
        const ids = (await k.insertInto('mentions').values([mention('m1', 1000), mention('m2', 2000), mention('m3', 2000)]).returning('id').execute()).map((r) => r.id);
        // The store writes the full-text rows itself on SQLite (migration 009); the delete trigger expects them.
        if (dialect === 'sqlite') for (const id of ids) await sql`INSERT INTO mentions_fts (rowid, title, text) SELECT id, title, text FROM mentions WHERE id = ${id}`.execute(k);
        const link = (m: number, br: number) => ({ mention_id: ids[m]!, brand_id: br, published_at: m === 0 ? 1000 : 2000 });
        await k.insertInto('mention_brands').values([link(0, a!.id), link(1, a!.id), link(1, b!.id), link(2, b!.id)]).execute();

        await migrateToLatest(db);

        const links = await k.selectFrom('mention_brands').select(['mention_id', 'brand_id', 'published_at']).orderBy('mention_id').orderBy('brand_id').execute();
        assert.deepEqual(links.map((l) => [l.mention_id, l.brand_id, Number(l.published_at)]), [
          [ids[0], a!.id, 1000], [ids[1], a!.id, 2000], [ids[1], b!.id, 2000], [ids[2], b!.id, 2000],
        ]);
        // A link stored twice is still refused (the store relies on ON CONFLICT DO NOTHING).
        await assert.rejects(k.insertInto('mention_brands').values(link(1, b!.id)).execute());
        const ignored = await k.insertInto('mention_brands').values(link(1, b!.id)).onConflict((oc) => oc.doNothing()).execute();
        assert.equal(Number(ignored[0]!.numInsertedOrUpdatedRows ?? 0), 0);
        // Per brand, in time order (the brand/time index).
        const ofB = await k.selectFrom('mention_brands').select('mention_id').where('brand_id', '=', b!.id).orderBy('published_at').orderBy('mention_id').execute();
        assert.deepEqual(ofB.map((r) => r.mention_id), [ids[1], ids[2]]);
        // Newest first, ties by id — the order the mention list pages through.
        const listed = await k.selectFrom('mentions').select('id').where('workspace_id', '=', ws.id).orderBy('published_at', 'desc').orderBy('id', 'desc').execute();
        assert.deepEqual(listed.map((r) => r.id), [ids[2], ids[1], ids[0]]);
        // Deleting a mention or a brand takes its links along.
        await k.deleteFrom('mentions').where('id', '=', ids[1]!).execute();
        await k.deleteFrom('brands').where('id', '=', a!.id).execute();
        const left = await k.selectFrom('mention_brands').select(['mention_id', 'brand_id']).execute();
        assert.deepEqual(left.map((l) => [l.mention_id, l.brand_id]), [[ids[2], b!.id]]);

        if (dialect === 'sqlite') {
          // The links are their own key (no rowid table beside it), and the mention list reads the index in
          // order: no sort step, the rowid ending the index breaks ties.
          const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = 'mention_brands'`.execute(k);
          assert.match(table.rows[0]!.sql, /WITHOUT ROWID/);
          const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT id FROM mentions WHERE workspace_id = 1 ORDER BY published_at DESC, id DESC LIMIT 50`.execute(k);
          const details = plan.rows.map((r) => r.detail).join(' | ');
          assert.match(details, /mentions_ws_published_idx/);
          assert.doesNotMatch(details, /TEMP B-TREE/);
        }
      } finally {
        await db.close();
      }
    });
  });
}
