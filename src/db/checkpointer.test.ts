import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDb } from './connection.ts';
import { CHECKPOINT_INTERVAL_MS } from './checkpointer.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-checkpoint-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

describe('WAL checkpoints in their own thread', { skip: os.availableParallelism() < 2 && 'one core: no checkpoint thread' }, () => {
  it('copies committed pages into the database file without the writer, and closes with the database', async () => {
    const file = path.join(tmp, 'wal.db');
    const db = await openDb({ kind: 'sqlite', path: file });
    await sql`CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`.execute(db.kysely);
    const before = size(file);
    // ≈ 4 MB in one transaction: far below the writer's own checkpoint threshold, so only the thread moves it.
    db.sqlite!.transaction(() => {
      const insert = db.sqlite!.prepare('INSERT INTO blobs (body) VALUES (?)');
      for (let i = 0; i < 1000; i++) insert.run(`${i} `.padEnd(4000, 'x'));
    })();
    assert.ok(size(`${file}-wal`) > 4_000_000, 'the commit went to the WAL');
    const deadline = Date.now() + 20 * CHECKPOINT_INTERVAL_MS;
    while (size(file) < before + 4_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, CHECKPOINT_INTERVAL_MS / 2));
    assert.ok(size(file) >= before + 4_000_000, `the database file holds the rows (${size(file)} bytes)`);
    await db.close();
    // The last connection to close removes the WAL: the thread's connection was closed first.
    assert.equal(fs.existsSync(`${file}-wal`), false);
    const again = await openDb({ kind: 'sqlite', path: file });
    const n = await sql<{ n: number }>`SELECT count(*) AS n FROM blobs`.execute(again.kysely);
    assert.equal(n.rows[0]!.n, 1000);
    await again.close();
  });
});
