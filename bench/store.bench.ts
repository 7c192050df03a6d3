/**
 * The SQLite store in isolation: the airline set repeated to BENCH_ROWS mentions (as the ingest bench does) is
 * written with the store's own statements straight through better-sqlite3 — author, near-duplicate lookup,
 * mention insert (five b-trees), brand link, FTS row — in transactions of BENCH_BATCH rows, and the time of each
 * step is printed per mention. `BENCH_TEMP_STORE=FILE` shows what statement journals in a temporary file cost
 * (decision 0006); `BENCH_CACHE_MB` changes the page cache, `BENCH_CHECKPOINT` the WAL checkpoint interval
 * (pages), `BENCH_PAGE_SIZE` the page size, `BENCH_MMAP_MB` memory-mapped I/O, `BENCH_RETURNING=1` inserts with RETURNING id
 * (as the store did before), `BENCH_DBSTAT=1` prints the largest tables and indexes.
 *
 *   npm run bench -- store        (BENCH_ROWS=300000 BENCH_BATCH=2000 BENCH_TEMP_STORE=FILE …)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../src/config.ts';
import { closeContext, createContext } from '../src/app.ts';
import { createLogger } from '../src/lib/logger.ts';
import { insertWorkspace } from '../src/workspaces/workspace.repository.ts';
import { createBrand } from '../src/brands/brand.service.ts';
import { createSource } from '../src/sources/source.service.ts';
import { nearDuplicateKey } from '../src/pipeline/near-duplicate.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-store-'));
const file = path.join(dir, 'store.db');

// The schema comes from the migrations; a workspace, brand and source to write under.
const ctx = await createContext(loadConfig({}, { DB_PATH: file, RUN_SOURCES: 'false', ENRICH: 'language' }), { logger: createLogger('warn') });
const ws = await insertWorkspace(ctx.db.kysely, 'bench', Date.now());
const brand = await createBrand(ctx, ws.id, { name: 'airlines', query: 'flight' });
const source = await createSource(ctx, ws.id, { kind: 'file', name: 'bench', settings: { path: file }, brandId: brand.id });
await closeContext(ctx);

// As src/db/connection.ts opens it, with the settings under test.
const db = new SQLite(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma(`temp_store = ${process.env.BENCH_TEMP_STORE ?? 'MEMORY'}`);
db.pragma(`cache_size = -${Number(process.env.BENCH_CACHE_MB ?? 64) * 1024}`);
db.pragma(`wal_autocheckpoint = ${process.env.BENCH_CHECKPOINT ?? 10000}`);
if (process.env.BENCH_MMAP_MB) db.pragma(`mmap_size = ${Number(process.env.BENCH_MMAP_MB) * 1024 * 1024}`);
if (process.env.BENCH_PAGE_SIZE) {
  // The page size of an existing database changes only by rebuilding it, outside WAL mode.
  db.pragma('journal_mode = DELETE');
  db.pragma(`page_size = ${process.env.BENCH_PAGE_SIZE}`);
  db.exec('VACUUM');
  db.pragma('journal_mode = WAL');
}
// What an index costs per mention: BENCH_DROP_INDEXES=mentions_ws_near_hash_idx,… leaves those out.
for (const name of (process.env.BENCH_DROP_INDEXES ?? '').split(',').filter(Boolean)) db.exec(`DROP INDEX ${name}`);

const statements = {
  author: db.prepare(`INSERT INTO authors (workspace_id, channel, handle, created_at, updated_at) VALUES (?, 'import', ?, 0, 0)
    ON CONFLICT (workspace_id, channel, handle) DO UPDATE SET updated_at = excluded.updated_at RETURNING id`),
  // As the store looks up a batch's originals: one statement, the keys as a JSON array.
  original: db.prepare(`SELECT near_hash AS k, min(id) AS id FROM mentions
    WHERE workspace_id = ? AND near_hash IN (SELECT value FROM json_each(?)) AND duplicate_of IS NULL GROUP BY near_hash`),
  mention: db.prepare(`INSERT INTO mentions (workspace_id, source_id, external_id, channel, text, author_id, published_at, ingested_at, lang, lang_confidence, shares, near_hash, duplicate_count)
    VALUES (?, ?, ?, 'import', ?, ?, ?, ?, 'en', 0.9, ?, ?, 0) ON CONFLICT (source_id, external_id) DO NOTHING${process.env.BENCH_RETURNING ? ' RETURNING id' : ''}`),
  link: db.prepare('INSERT INTO mention_brands (mention_id, brand_id, published_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
  fts: db.prepare('INSERT INTO mentions_fts (rowid, title, text) VALUES (?, NULL, ?)'),
  begin: db.prepare('BEGIN'),
  commit: db.prepare('COMMIT'),
};

const airline = parse(fs.readFileSync(path.join(root, 'datasets/airline-en/train.csv')), { columns: true }) as Record<string, string>[];
const rows: { externalId: string; text: string; author: string; at: number; shares: number; nearKey: string | null }[] = [];
for (let rep = 0; rows.length < ROWS; rep++) {
  for (const r of airline) {
    if (rows.length >= ROWS) break;
    const text = rep ? `${r.text} #r${rep}` : r.text!;
    rows.push({ externalId: `${rep}-${r.tweet_id}`, text, author: r.name!, at: Date.parse(r.tweet_created!), shares: Number(r.retweet_count), nearKey: nearDuplicateKey(text) });
  }
}

const spent = { author: 0n, original: 0n, mention: 0n, link: 0n, fts: 0n, commit: 0n };
const authorIds = new Map<string, number>();
const step = (name: keyof typeof spent, work: () => void) => {
  const t = process.hrtime.bigint();
  work();
  spent[name] += process.hrtime.bigint() - t;
};
const cpu0 = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < rows.length; i += BATCH) {
  const batch = rows.slice(i, i + BATCH);
  const ids: (number | undefined)[] = [];
  statements.begin.run();
  step('author', () => {
    for (const r of batch) if (!authorIds.has(r.author)) authorIds.set(r.author, (statements.author.get(ws.id, r.author) as { id: number }).id);
  });
  step('original', () => {
    statements.original.all(ws.id, JSON.stringify([...new Set(batch.map((r) => r.nearKey).filter(Boolean))]));
  });
  step('mention', () => {
    if (!process.env.BENCH_RETURNING) {
      for (const r of batch) {
        const info = statements.mention.run(ws.id, source.id, r.externalId, r.text, authorIds.get(r.author), r.at, Date.now(), r.shares, r.nearKey);
        ids.push(info.changes ? Number(info.lastInsertRowid) : undefined);
      }
    } else for (const r of batch) ids.push((statements.mention.get(ws.id, source.id, r.externalId, r.text, authorIds.get(r.author), r.at, Date.now(), r.shares, r.nearKey) as { id: number } | undefined)?.id);
  });
  step('link', () => batch.forEach((r, j) => ids[j] !== undefined && statements.link.run(ids[j], brand.id, r.at)));
  step('fts', () => batch.forEach((r, j) => ids[j] !== undefined && statements.fts.run(ids[j], r.text)));
  step('commit', () => statements.commit.run());
}
const wall = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
if (process.env.BENCH_DBSTAT) console.log(db.prepare("SELECT name, count(*) AS pages, sum(pgsize)/1048576 AS mb, round(avg(unused)*100.0/4096) AS pct_unused FROM dbstat GROUP BY name ORDER BY pages DESC LIMIT 16").all());
db.close();
fs.rmSync(dir, { recursive: true, force: true });

const per = (ns: bigint) => (Number(ns) / 1000 / ROWS).toFixed(1);
console.log(`${ROWS} mentions in transactions of ${BATCH}, temp_store ${process.env.BENCH_TEMP_STORE ?? 'MEMORY'}, page cache ${process.env.BENCH_CACHE_MB ?? 64} MB`);
console.log(`wall ${((wall * 1000) / ROWS).toFixed(1)} µs per mention; CPU ${((cpu.user + cpu.system) / ROWS).toFixed(1)} µs (user ${(cpu.user / ROWS).toFixed(1)}, kernel ${(cpu.system / ROWS).toFixed(1)})`);
console.log(`per step (µs per mention, wall): ${Object.entries(spent).map(([k, v]) => `${k} ${per(v)}`).join(', ')}`);
