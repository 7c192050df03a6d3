/**
 * Radar cost share of ingest: the airline tweets (repeated, each repetition moved on in time so that the streams
 * keep advancing) are stored through the real pipeline (normalize → brand → language → store) in batches of
 * 2,000 in time order, once with the radar off and once with it on (stream counts per brand, brand × negative
 * and brand × topic inside each batch's transaction; detectors and alert rules in a round after commit). Prints:
 *   - the end-to-end ingest rate without and with the radar (wall clock, radar drained at the end);
 *   - the time spent counting in the batch transactions, in scoring rounds (database work included) and in
 *     detector updates alone (the same rounds' stream advances replayed in memory), each as a share of the
 *     ingest time with the radar on.
 * The issue's bar: detector updates ≤ 10 % of end-to-end ingest.
 *
 * Detector work grows with streams × 5-minute buckets, not with mentions: the sparser the data, the larger its
 * share. The airline set at its own density (about 1,500 mentions a day, spread over ~10 streams) is the worst
 * case; BENCH_DENSITY=10 packs the repetitions ten times closer in time (a busier brand).
 *
 *   npm run bench -- radar        (BENCH_ROWS=100000, BENCH_DENSITY=1 by default)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/app.ts';
import { createLogger } from '../src/lib/logger.ts';
import { insertWorkspace } from '../src/workspaces/workspace.repository.ts';
import { createBrand } from '../src/brands/brand.service.ts';
import { createSource } from '../src/sources/source.service.ts';
import type { StreamDelta } from '../src/radar/stream-deltas.ts';
import type { SourceItem } from '../src/pipeline/source.ts';
import { streamKeyId } from '../src/radar/stream-deltas.ts';
import { advanceStream, newDetector, watermarkOf } from '../src/radar/stream-advance.ts';
import type { RadarDetector } from '../src/radar/detectors/radar.detector.ts';
import { loadAirlineRows, labelEnricher } from '../test/radar/airline-replay.ts';
import { languageEnricher } from '../src/enrich/language.enricher.ts';
import type { Enricher } from '../src/enrich/enricher.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DENSITY = Number(process.env.BENCH_DENSITY ?? 1);
const BATCH = 2000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-radar-'));
const base = loadAirlineRows();
const span = (base[base.length - 1]!.at - base[0]!.at + 86_400_000) / DENSITY;

function batches(): { at: number; items: SourceItem[] }[] {
  const all: (SourceItem & { publishedAt: number })[] = [];
  for (let rep = 0; all.length < ROWS; rep++) {
    for (const r of base.slice(0, ROWS - all.length)) {
      all.push({ externalId: `${rep}-${r.id}`, text: rep ? `${r.text} #r${rep}` : r.text, publishedAt: r.at + rep * span, author: { handle: r.author }, metrics: { shares: r.retweets } });
    }
  }
  all.sort((a, b) => a.publishedAt - b.publishedAt);
  const out: { at: number; items: SourceItem[] }[] = [];
  for (let i = 0; i < all.length; i += BATCH) {
    const items = all.slice(i, i + BATCH);
    out.push({ at: items[items.length - 1]!.publishedAt + 1, items });
  }
  return out;
}

async function run(name: string, radar: boolean, work: { at: number; items: SourceItem[] }[]) {
  let now = 0;
  const config = loadConfig({}, { DB_PATH: path.join(dir, `${name}.db`), RUN_SOURCES: 'false', INBOX_JOBS: 'false', LOG_LEVEL: 'warn' });
  // The dataset's own labels stand in for the sentiment and topic models (the radar's work depends on them).
  const labels = labelEnricher(base);
  const repeated: Enricher = { name: 'labels', enrich: (input, soFar) => labels.enrich({ ...input, text: input.text.replace(/ #r\d+$/, '') }, soFar) };
  const ctx = await createContext(config, { logger: createLogger('warn'), clock: { now: () => now }, enrichers: [languageEnricher, repeated] });
  const ws = await insertWorkspace(ctx.db.kysely, 'bench', 0);
  const brand = await createBrand(ctx, ws.id, { name: 'US airlines', query: 'airline' });
  const source = await createSource(ctx, ws.id, { kind: 'webhook', name: 'bench', settings: {}, brandId: brand.id });
  const pctx = { workspaceId: ws.id, sourceId: source.id, sourceKind: 'webhook', fixedBrandId: brand.id };
  if (!radar) await ctx.radar.stop();
  const service = ctx.radar.service;
  const rounds: { deltas: readonly StreamDelta[]; now: number }[] = [];
  service.onRound((r) => rounds.push({ deltas: r.deltas, now: r.now }));
  const t0 = performance.now();
  for (const b of work) {
    now = b.at;
    await ctx.pipeline.process(pctx, { items: b.items, cursor: null });
  }
  await ctx.radar.idle();
  const ms = performance.now() - t0;
  await ctx.radar.stop();
  await ctx.enrich.close();
  await ctx.db.close();
  return { ms, roundMs: service.stats.roundMs, countMs: service.stats.countMs, rounds };
}

/** The detector work of the same rounds, in memory: deltas → advance (close, feed, score open buckets). */
function detectorOnly(rounds: { deltas: readonly StreamDelta[]; now: number }[]): { ms: number; updates: number } {
  const streams = new Map<string, { detector: RadarDetector; open: number; pending: Map<number, number> }>();
  let ms = 0;
  let updates = 0;
  for (const { deltas, now } of rounds) {
    for (const d of deltas) {
      const k = streamKeyId(d.key);
      const s = streams.get(k) ?? { detector: newDetector(null), open: 0, pending: new Map() };
      streams.set(k, s);
      for (const [b, n] of d.counts) if (s.open === 0 || b >= s.open) s.pending.set(b, (s.pending.get(b) ?? 0) + n);
      const t0 = performance.now();
      const adv = advanceStream(s.detector, s.open, s.pending, watermarkOf(now));
      ms += performance.now() - t0;
      updates += adv.closed.length;
      s.open = adv.openBucket;
      for (const b of [...s.pending.keys()]) if (b < s.open) s.pending.delete(b);
    }
  }
  return { ms, updates };
}

async function main() {
  const work = batches();
  const rows = work.reduce((n, b) => n + b.items.length, 0);
  const off = await run('off', false, work);
  const on = await run('on', true, work);
  const detector = detectorOnly(on.rounds);
  const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en-US');
  console.log(`rows: ${rows} in ${work.length} batches of ${BATCH}, density ×${DENSITY}; ${on.rounds.length} radar rounds, ${detector.updates.toLocaleString('en-US')} detector updates (${(detector.updates / rows).toFixed(2)} per mention, ${((1000 * detector.ms) / detector.updates).toFixed(1)} µs each)`);
  console.log(`ingest without radar: ${rate(off.ms)} mentions/s (${(off.ms / 1000).toFixed(1)} s)`);
  console.log(`ingest with radar:    ${rate(on.ms)} mentions/s (${(on.ms / 1000).toFixed(1)} s, radar drained)`);
  console.log(`radar counting in the batch transactions: ${(on.countMs / 1000).toFixed(2)} s = ${((100 * on.countMs) / on.ms).toFixed(1)} % of ingest with radar`);
  console.log(`radar rounds (detectors + stream/point/alert writes): ${(on.roundMs / 1000).toFixed(2)} s = ${((100 * on.roundMs) / on.ms).toFixed(1)} % of ingest with radar`);
  console.log(`radar in all (counting + rounds): ${(((on.ms - off.ms) / off.ms) * 100).toFixed(1)} % slower ingest than without`);
  console.log(`detector updates alone: ${(detector.ms / 1000).toFixed(2)} s = ${((100 * detector.ms) / on.ms).toFixed(1)} % of ingest with radar (bar: ≤ 10 %)`);
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
