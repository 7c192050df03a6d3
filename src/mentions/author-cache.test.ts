import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorCache, type AuthorDraft } from './author-cache.ts';
import { authorKey } from './store-keys.ts';

const draft = (handle: string, name: string | null = null): { author: AuthorDraft } => ({ author: { channel: 'import', handle, name, url: null, followers: null } });

/** An upsert that hands out ids in order and records what it was asked to write. */
function fakeStore() {
  let next = 1;
  const ids = new Map<string, number>();
  const written: string[][] = [];
  const upsert = async (authors: AuthorDraft[]) => {
    written.push(authors.map((a) => a.handle));
    return new Map(authors.map((a) => [authorKey(a), ids.get(authorKey(a)) ?? (ids.set(authorKey(a), next++), next - 1)]));
  };
  return { upsert, written };
}

describe('AuthorCache', () => {
  it('gives each draft its author id in draft order, writing an author once per batch and not again once committed', async () => {
    const cache = new AuthorCache();
    const store = fakeStore();
    const first = cache.begin();
    assert.deepEqual(await first.resolve(1, [draft('ana'), { author: null }, draft('ben'), draft('ana')], store.upsert), [1, null, 2, 1]);
    first.commit();
    assert.deepEqual(await cache.begin().resolve(1, [draft('ben'), draft('ana')], store.upsert), [2, 1]);
    assert.deepEqual(store.written, [['ana', 'ben']]);
  });

  it('writes an author again when a field changed, and keeps workspaces apart', async () => {
    const cache = new AuthorCache();
    const store = fakeStore();
    const batch = cache.begin();
    await batch.resolve(1, [draft('ana')], store.upsert);
    batch.commit();
    await cache.begin().resolve(1, [draft('ana', 'Ana B.')], store.upsert);
    await cache.begin().resolve(2, [draft('ana')], store.upsert);
    assert.deepEqual(store.written, [['ana'], ['ana'], ['ana']]);
  });

  it('forgets what a transaction learned unless it committed', async () => {
    const cache = new AuthorCache();
    const store = fakeStore();
    await cache.begin().resolve(1, [draft('ana')], store.upsert);
    await cache.begin().resolve(1, [draft('ana')], store.upsert);
    assert.equal(store.written.length, 2);
  });

  it('holds at most its capacity, the oldest going first', async () => {
    const cache = new AuthorCache(2);
    const store = fakeStore();
    const batch = cache.begin();
    await batch.resolve(1, [draft('a'), draft('b')], store.upsert);
    await batch.resolve(2, [draft('c')], store.upsert);
    batch.commit();
    assert.equal(cache.get(1, authorKey({ channel: 'import', handle: 'a' })), undefined);
    assert.equal(cache.get(1, authorKey({ channel: 'import', handle: 'b' }))?.id, 2);
    assert.equal(cache.get(2, authorKey({ channel: 'import', handle: 'c' }))?.id, 3);
  });
});
