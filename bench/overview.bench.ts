/**
 * Overview and Mentions API latency at volume: fills a fresh SQLite database with 1,000,000 mentions
 * (BENCH_MENTIONS to change) through the real pipeline — brand matching, near-duplicate keys, brand links and
 * the pre-aggregated counts — spread over the last 30 days, 12 brands, 5 sources, 6 languages and 50,000
 * authors; then times every request the Overview page makes (and the Mentions page's first pages) for the
 * 24 h, 7 d and 30 d ranges, through the HTTP layer (Fastify inject). Prints p50/p95 per request.
 * Target: p95 ≤ 200 ms for each Overview request. The core counts endpoint (5-minute table) is timed too, for
 * comparison: the dashboard no longer uses it for ranges of more than 12 hours. The language enricher is replaced by declared languages and a
 * hash-based sentiment, so filling measures storage, not the models (bench/enrich.bench.ts measures those).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { createApp, type RunningApp } from '../src/app.ts';
import type { Enricher } from '../src/enrich/enricher.ts';
import type { SourceItem } from '../src/pipeline/source.ts';
import { createBrand } from '../src/brands/brand.service.ts';
import { createSource } from '../src/sources/source.service.ts';
import { insertWorkspace } from '../src/workspaces/workspace.repository.ts';

const TOTAL = Number(process.env.BENCH_MENTIONS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const DAY = 86_400_000;
const BATCH = 5_000;
const BRANDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka'];
const LANGS = ['en', 'en', 'en', 'de', 'es', 'fr', 'it', 'pt'];
const WORDS = 'refund delay late support order app crash thanks great awful price delivery train flight bag lost help love hate wifi bill account'.split(' ');

/** Sentiment from a hash of the text: spread like real feedback, costs nothing. */
const hashedSentiment: Enricher = {
  name: 'bench-sentiment',
  enrich(input) {
    const h = crypto.createHash('md5').update(input.text).digest()[0]!;
    const label = h < 110 ? 'negative' : h < 200 ? 'neutral' : 'positive';
    return { sentiment: { label, score: 0.8 } };
  },
};

/** Deterministic pseudo-random numbers, so every run stores the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

function item(i: number, now: number, rand: () => number): SourceItem {
  const brands = [BRANDS[Math.floor(rand() ** 2 * BRANDS.length)]!, ...(rand() < 0.08 ? [BRANDS[Math.floor(rand() * BRANDS.length)]!] : [])];
  const words = Array.from({ length: 8 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
  const author = Math.floor(rand() ** 3 * 50_000);
  return {
    externalId: `b${i}`,
    text: `${brands.join(' and ')} ${words} #${i}`,
    publishedAt: now - 30 * DAY + Math.floor((i / TOTAL) * 30 * DAY),
    lang: LANGS[Math.floor(rand() * LANGS.length)]!,
    author: { handle: `user${author}`, followers: author % 10 < 3 ? null : Math.floor(1e6 / (author + 1)) },
    metrics: { likes: Math.floor(rand() * 20), shares: Math.floor(rand() * 5), replies: Math.floor(rand() * 3) },
    channel: 'bench',
  };
}

async function fill(app: RunningApp): Promise<{ ws: number; ownBrand: number; seconds: number }> {
  const ctx = app.ctx;
  const ws = (await insertWorkspace(ctx.db.kysely, 'Bench', ctx.clock.now())).id;
  const brandIds: number[] = [];
  for (const [i, name] of BRANDS.entries()) brandIds.push((await createBrand(ctx, ws, { name, kind: i === 0 ? 'own' : 'competitor', query: name.toLowerCase(), languages: [] })).id);
  const sources: number[] = [];
  for (let s = 0; s < 5; s++) sources.push((await createSource(ctx, ws, { kind: 'webhook', name: `Bench source ${s}`, settings: {} })).id);
  const rand = rng(42);
  const now = Date.now();
  const started = performance.now();
  for (let i = 0; i < TOTAL; i += BATCH) {
    const sourceId = sources[(i / BATCH) % sources.length]!;
    const items = Array.from({ length: Math.min(BATCH, TOTAL - i) }, (_, k) => item(i + k, now, rand));
    await ctx.pipeline.process({ workspaceId: ws, sourceId, sourceKind: 'webhook', fixedBrandId: null }, { items });
    if ((i / BATCH) % 40 === 0) process.stderr.write(`  filled ${i.toLocaleString('en')} of ${TOTAL.toLocaleString('en')}\r`);
  }
  return { ws, ownBrand: brandIds[0]!, seconds: (performance.now() - started) / 1000 };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function time(app: RunningApp, url: string): Promise<{ p50: number; p95: number; max: number }> {
  const once = async () => {
    const t = performance.now();
    const res = await app.http.inject({ method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 3; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await once());
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), max: samples[samples.length - 1]! };
}

/** The requests the Overview page makes for a range (see web/src/pages/overview-data.ts), the Mentions page's, and core counts. */
function requests(ws: number, ownBrand: number, spanMs: number, to: number): [string, string][] {
  const from = to - spanMs;
  const bucket = spanMs <= 12 * 3_600_000 ? '5m' : spanMs <= 40 * DAY ? '1h' : '1d';
  const base = `/api/workspaces/${ws}`;
  const counts = (q: string) => `${base}/mentions/counts?from=${from}&to=${to}&${q}`;
  const overview = (q: string) => `${base}/insights/overview?from=${from}&to=${to}&${q}`;
  return [
    ['overview (volume + totals)', overview(`bucket=${bucket}`)],
    ['overview, one brand', overview(`bucket=${bucket}&brand=${ownBrand}`)],
    ['top authors', `${base}/insights/top-authors?from=${from}&to=${to}&limit=10`],
    ['top authors, one brand', `${base}/insights/top-authors?from=${from}&to=${to}&limit=10&brand=${ownBrand}`],
    ['mentions page 1', `${base}/mentions?from=${from}&to=${to}&limit=50`],
    ['mentions page 1, one brand', `${base}/mentions?from=${from}&to=${to}&limit=50&brand=${ownBrand}`],
    ['mentions page 1, text search', `${base}/mentions?from=${from}&to=${to}&limit=50&q=refund`],
    ['(core) counts by brand', counts(`bucket=${bucket}&groupBy=brand`)],
    ['(core) counts by language', counts('bucket=1d&groupBy=lang')],
  ];
}

/** BENCH_DB=<file> keeps the filled database there and reuses it on the next run (to iterate on queries). */
async function main(): Promise<void> {
  const keep = process.env.BENCH_DB;
  const dir = keep ? path.dirname(path.resolve(keep)) : fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-'));
  const file = keep ? path.resolve(keep) : path.join(dir, 'bench.db');
  const reuse = !!keep && fs.existsSync(file);
  const config = loadConfig({}, { PORT: '0', DB_PATH: file, LOG_LEVEL: 'warn', RUN_SOURCES: 'false' });
  const app = await createApp(config, { enrichers: [hashedSentiment] });
  try {
    if (process.env.BENCH_WITHOUT_AUTHOR_INDEXES) await dropAuthorIndexes(app);
    const { ws, ownBrand, seconds } = reuse ? await existing(app) : await fill(app);
    const size = fs.statSync(file).size;
    console.log(`overview: ${TOTAL.toLocaleString('en')} mentions ${reuse ? 'reused' : `stored in ${seconds.toFixed(0)} s (${Math.round(TOTAL / seconds).toLocaleString('en')}/s through the pipeline)`}, database ${(size / 2 ** 20).toFixed(0)} MiB`);
    const to = reuse ? Number(fs.readFileSync(`${file}.to`, 'utf8')) : Date.now();
    if (keep && !reuse) fs.writeFileSync(`${file}.to`, String(to));
    for (const [label, span] of [['24 h', DAY], ['7 d', 7 * DAY], ['30 d', 30 * DAY]] as const) {
      console.log(`range ${label}:`);
      for (const [name, url] of requests(ws, ownBrand, span, to)) {
        const r = await time(app, url);
        const flag = r.p95 <= 200 ? '' : '  ← over 200 ms';
        console.log(`  ${name.padEnd(30)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p95 ${r.p95.toFixed(1).padStart(7)} ms   max ${r.max.toFixed(1).padStart(7)} ms${flag}`);
      }
    }
  } finally {
    await app.close();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * BENCH_WITHOUT_AUTHOR_INDEXES=1: fill without the author indexes of migration 002, to see what they cost at ingest
 * (the top-authors query is then slow: only the fill rate is meaningful). The roll-ups are written by the store
 * itself since migration 009 and cannot be left out.
 */
async function dropAuthorIndexes(app: RunningApp): Promise<void> {
  for (const i of ['authors_ws_followers_idx', 'mentions_author_published_idx']) await sql.raw(`DROP INDEX IF EXISTS ${i}`).execute(app.ctx.db.kysely);
}

async function existing(app: RunningApp): Promise<{ ws: number; ownBrand: number; seconds: number }> {
  const res = await app.http.inject({ method: 'GET', url: '/api/workspaces' });
  const ws = (JSON.parse(res.body) as { items: { id: number }[] }).items[0]!.id;
  const brands = JSON.parse((await app.http.inject({ method: 'GET', url: `/api/workspaces/${ws}/brands` })).body) as { items: { id: number; kind: string }[] };
  return { ws, ownBrand: brands.items.find((b) => b.kind === 'own')!.id, seconds: 0 };
}

await main();
