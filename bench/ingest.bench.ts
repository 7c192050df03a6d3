/**
 * End-to-end ingest throughput: the airline tweet set repeated to ≥ 1,000,000 rows is imported as a CSV file
 * through the real pipeline (parse → normalize → brand match → language detection → near-duplicate key →
 * batched SQLite store with full-text index and per-brand counts). Each repetition gets a distinct id and a
 * distinct trailing tag so that copies are new mentions rather than near-duplicates of the first pass.
 * Prints mentions/second and the peak resident memory of this process; the input file is written beforehand by a
 * child process, so that the peak is the import's, as `earshot import` would run it.
 *
 *   npm run bench -- ingest            (BENCH_ROWS=200000 for a quicker run; ENRICH=full for all models;
 *                                       BENCH_IMPORT_BATCH=5000 to try another IMPORT_BATCH_SIZE,
 *                                       BENCH_IMPORT_TRANSACTION=10000 another IMPORT_TRANSACTION_SIZE,
 *                                       BENCH_QUERY_EVERY_MS=250 a read every 250 ms, as the API would, and its waits)
 */
import { spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { closeContext, createContext } from '../src/app.ts';
import { createLogger } from '../src/lib/logger.ts';
import { insertWorkspace } from '../src/workspaces/workspace.repository.ts';
import { createBrand } from '../src/brands/brand.service.ts';
import { createSource } from '../src/sources/source.service.ts';
import { limitHeapGrowth } from '../src/lib/heap.ts';
import { writeRepeatedAirline } from './airline-repeated.ts';

// As the `earshot` CLI does at start (the benchmark stands in for `earshot import`).
limitHeapGrowth();

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
/**
 * Seconds this process's main thread has run on a core (of which in the kernel) and waited for one while runnable
 * (Linux: /proc schedstat and stat; Node 20 has no per-thread CPU usage API).
 */
function mainThreadSchedule(): { cpu: number; waited: number; system: number } | null {
  try {
    const [cpu, waited] = fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    // /proc/…/stat: the fields after the command's closing parenthesis; stime (in clock ticks, 100 per second) is the 13th.
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const system = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[12]) / 100;
    return { cpu: cpu! / 1e9, waited: waited! / 1e9, system };
  } catch {
    return null;
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-ingest-'));
  const file = path.join(dir, 'airline-repeated.csv');
  // Written by a child process, so that this one's peak memory is the import's (as `earshot import` would run it).
  const rows = Number(inChild({ BENCH_WRITE_INPUT: file }));
  const config = loadConfig({}, { DB_PATH: path.join(dir, 'bench.db'), RUN_SOURCES: 'false', ...(process.env.BENCH_IMPORT_BATCH ? { IMPORT_BATCH_SIZE: process.env.BENCH_IMPORT_BATCH } : {}), ...(process.env.BENCH_IMPORT_TRANSACTION ? { IMPORT_TRANSACTION_SIZE: process.env.BENCH_IMPORT_TRANSACTION } : {}), ENRICH: process.env.ENRICH ?? 'language' });
  const ctx = await createContext(config, { logger: createLogger('warn') });
  const ws = await insertWorkspace(ctx.db.kysely, 'bench', Date.now());
  const brand = await createBrand(ctx, ws.id, { name: 'US airlines', query: '@united OR @AmericanAir OR @USAirways OR @SouthwestAir OR @JetBlue OR @VirginAmerica OR airline* OR flight*' });
  const source = await createSource(ctx, ws.id, { kind: 'file', name: 'bench', settings: { path: file }, brandId: brand.id });
  // Where the memory goes: the main thread's V8 heap at its largest (worker threads have their own heaps).
  let heapPeak = 0;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapTotal)), 250);
  // BENCH_QUERY_EVERY_MS: an API-like read every so often during the import, and how long each waited.
  const queryEvery = Number(process.env.BENCH_QUERY_EVERY_MS ?? 0);
  const waits: number[] = [];
  // How long the event loop itself is busy between turns: a request waits for that before its query is even sent.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  if (queryEvery > 0) loopDelay.enable();
  const querier = queryEvery > 0 ? setInterval(() => {
    const sent = performance.now();
    void ctx.db.kysely.selectFrom('sources').select('status').where('id', '=', source.id).execute().then(() => waits.push(performance.now() - sent));
  }, queryEvery) : undefined;
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadSchedule();
  const report = await ctx.scheduler.runNow(source.id, new AbortController().signal);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadSchedule();
  clearInterval(sampler);
  clearInterval(querier);
  loopDelay.disable();
  await closeContext(ctx);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`rows: ${rows}, stored: ${report.stored}, known: ${report.known}, dead-lettered: ${report.failed}`);
  console.log(`ingest (enrichment: ${config.enrich}): ${(rows / secs).toFixed(0)} mentions/s (${secs.toFixed(1)} s), peak RSS ${peakMb.toFixed(0)} MB (${(rssBefore / 2 ** 20).toFixed(0)} MB before the import; main thread's JS heap at most ${(heapPeak / 2 ** 20).toFixed(0)} MB)`);
  console.log(`CPU (all threads): ${((cpu.user + cpu.system) / rows).toFixed(1)} µs per mention (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`);
  // The main thread (store, normalisation) is the one the others wait for: its share bounds the rate.
  if (main0 && main1) {
    const mainCpu = main1.cpu - main0.cpu;
    console.log(`CPU of the main thread: ${((mainCpu * 1e6) / rows).toFixed(1)} µs per mention (${mainCpu.toFixed(1)} s of ${secs.toFixed(1)} s, ${(main1.system - main0.system).toFixed(1)} s of it in the kernel; ${(main1.waited - main0.waited).toFixed(1)} s more runnable but waiting for a core)`);
  }
  if (waits.length) {
    waits.sort((a, b) => a - b);
    const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]!.toFixed(0);
    console.log(`a read every ${queryEvery} ms during the import: ${waits.length} reads waited for the connection median ${at(0.5)} ms, 95th percentile ${at(0.95)} ms, at most ${at(1)} ms; the event loop was busy between turns median ${(loopDelay.percentile(50) / 1e6).toFixed(0)} ms, at most ${(loopDelay.max / 1e6).toFixed(0)} ms`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs this file in a child process with `env` added and returns what it printed. */
function inChild(env: Record<string, string>): string {
  const child = spawnSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`child ${JSON.stringify(env)} failed (exit ${child.status})`);
  return child.stdout.trim();
}

if (process.env.BENCH_WRITE_INPUT) console.log(writeRepeatedAirline(process.env.BENCH_WRITE_INPUT, ROWS));
else await main();
