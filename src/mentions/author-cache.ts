/**
 * Remembers the authors this process has stored (id, name, url, followers), so that a batch writes only the
 * authors that are new or whose details changed: on a large import most authors recur, and re-upserting each
 * of them cost about a tenth of the ingest time.
 *
 * What a batch learns is kept apart until its transaction has committed (`AuthorBatch.commit`): an id from a
 * rolled-back insert never reaches the cache. After a failed batch the caller clears the cache, in case a
 * cached author was deleted by someone else meanwhile.
 */
import { authorKey } from './store-keys.ts';

export interface AuthorDraft {
  channel: string;
  handle: string;
  name: string | null;
  url: string | null;
  followers: number | null;
}

interface KnownAuthor {
  id: number;
  name: string | null;
  url: string | null;
  followers: number | null;
}

/** Writes authors (a null field keeps the stored value) and returns their ids by `channel \0 handle`. */
export type UpsertAuthors = (authors: AuthorDraft[]) => Promise<Map<string, number>>;

export class AuthorCache {
  /**
   * By workspace, then by `authorKey` (a nested map: the key a batch already built is looked up as it is, not joined
   * with the workspace into a new string per lookup). Oldest first within a workspace.
   */
  private readonly known = new Map<number, Map<string, KnownAuthor>>();
  private size = 0;

  constructor(private readonly capacity = 50_000) {}

  /** A view for one transaction (of one or more batches); call `commit()` on it once the transaction has committed. */
  begin(): AuthorBatch {
    return new AuthorBatch(this);
  }

  clear(): void {
    this.known.clear();
    this.size = 0;
  }

  get(workspaceId: number, key: string): KnownAuthor | undefined {
    return this.known.get(workspaceId)?.get(key);
  }

  /** Adds everything this cache holds to `other` (oldest first within each workspace). */
  handTo(other: AuthorCache): void {
    for (const [ws, authors] of this.known) for (const [k, author] of authors) other.rememberKey(ws, k, author);
  }

  remember(workspaceId: number, key: string, author: KnownAuthor): void {
    this.rememberKey(workspaceId, detached(key)!, author);
  }

  private rememberKey(workspaceId: number, k: string, author: KnownAuthor): void {
    let authors = this.known.get(workspaceId);
    if (!authors) this.known.set(workspaceId, (authors = new Map()));
    if (authors.delete(k)) this.size--;
    authors.set(k, author);
    if (++this.size <= this.capacity) return;
    // Over capacity: the oldest author of the workspace cached first goes.
    const [ws, first] = this.known.entries().next().value!;
    first.delete(first.keys().next().value!);
    this.size--;
    if (first.size === 0) this.known.delete(ws);
  }
}

export class AuthorBatch {
  /** What this batch (or group of batches in one transaction) wrote, by workspace and author key. */
  private readonly learned = new AuthorCache(Infinity);

  constructor(private readonly cache: AuthorCache) {}

  /**
   * The id of each draft's author (null for a draft without one), in draft order. Drafts of one author in the batch
   * are merged (a later non-null field wins); only authors that are unknown or changed are passed to `upsert`.
   */
  async resolve(workspaceId: number, drafts: readonly { author: AuthorDraft | null }[], upsert: UpsertAuthors): Promise<(number | null)[]> {
    const keys: (string | null)[] = new Array(drafts.length);
    const merged = new Map<string, AuthorDraft>();
    for (let i = 0; i < drafts.length; i++) {
      const a = drafts[i]!.author;
      if (!a) {
        keys[i] = null;
        continue;
      }
      const k = (keys[i] = authorKey(a));
      const m = merged.get(k);
      merged.set(k, m ? { ...a, name: a.name ?? m.name, url: a.url ?? m.url, followers: a.followers ?? m.followers } : a);
    }
    const ids = new Map<string, number>();
    const changed: AuthorDraft[] = [];
    const after = new Map<string, Omit<KnownAuthor, 'id'>>();
    for (const [k, a] of merged) {
      const known = this.learned.get(workspaceId, k) ?? this.cache.get(workspaceId, k);
      const next = { name: a.name ?? known?.name ?? null, url: a.url ?? known?.url ?? null, followers: a.followers ?? known?.followers ?? null };
      if (known && known.name === next.name && known.url === next.url && known.followers === next.followers) ids.set(k, known.id);
      else {
        changed.push(a);
        if (known) after.set(k, next);
      }
    }
    if (changed.length) {
      for (const [k, id] of await upsert(changed)) {
        ids.set(k, id);
        const a = merged.get(k)!;
        const fields = after.get(k) ?? { name: a.name, url: a.url, followers: a.followers };
        this.learned.remember(workspaceId, k, { id, name: detached(fields.name), url: detached(fields.url), followers: fields.followers });
      }
    }
    return keys.map((k) => (k === null ? null : (ids.get(k) ?? null)));
  }

  /** Hands what the batch learned to the cache: call only after the transaction committed. */
  commit(): void {
    this.learned.handTo(this.cache);
  }
}

/**
 * A copy of `s` that shares no memory with it. A field parsed from a CSV file is a slice of the whole chunk of text it
 * was read with (V8 slices strings of 13 characters or more without copying), and this cache outlives the import: what
 * it keeps must not keep whole chunks alive. Runs once per author learned, not per mention.
 */
function detached(s: string | null): string | null {
  return s === null ? null : (JSON.parse(JSON.stringify(s)) as string);
}
