/**
 * The import worker's steps, one thread, timed per row: what `sources/file/import.worker.ts` does to each batch of a
 * large file import before the main thread stores it — read and map the CSV, normalise (screen), language enrichment,
 * near-duplicate key, drafts, packing — and what crossing to the main thread costs (structured clone both ways; the
 * deserialising and unpacking are the main thread's). Input: the airline set repeated to BENCH_ROWS rows, as the ingest
 * bench writes it. Best of three passes per step (the VM's speed drifts between passes).
 *
 *   npm run bench -- prepare          (BENCH_ROWS=200000 by default)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { readRecordChunks } from '../src/sources/file/record-reader.ts';
import { fileBatches } from '../src/sources/file/file.source.ts';
import { defaultEnrichers } from '../src/enrich/default-enrichers.ts';
import { runEnrichers } from '../src/enrich/enricher.ts';
import { enrichInputs, finishBatch, screenBatch } from '../src/pipeline/prepare.ts';
import { packBatch, unpackBatch, type PackedBatch } from '../src/pipeline/packed-batch.ts';
import { nearDuplicateKey } from '../src/pipeline/near-duplicate.ts';
import { writeRepeatedAirline } from './airline-repeated.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const BATCH = 5_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-prepare-'));
const file = path.join(dir, 'airline-repeated.csv');

const STEPS = ['read and map', 'screen', 'language', 'near-duplicate key', 'drafts', 'pack', 'serialize', 'deserialize (main)', 'unpack (main)'] as const;
type Step = (typeof STEPS)[number];

async function pass(enrichers: Awaited<ReturnType<typeof defaultEnrichers>>): Promise<Record<Step, number>> {
  const ms = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number>;
  const ctx = { workspaceId: 1, sourceId: 1, sourceKind: 'file', fixedBrandId: 1 };
  let t = performance.now();
  const lap = (step: Step) => {
    const now = performance.now();
    ms[step] += now - t;
    t = now;
  };
  for await (const batch of fileBatches({ path: file }, 'csv', 0, BATCH, readRecordChunks(file, 'csv', 'inline'))) {
    lap('read and map');
    const now = Date.now();
    const { out, candidates } = screenBatch(ctx, batch, null, now);
    lap('screen');
    const inputs = enrichInputs(candidates);
    const enriched = inputs.map((input) => runEnrichers(enrichers, input));
    lap('language');
    const keys = inputs.map((input) => nearDuplicateKey(input.text));
    lap('near-duplicate key');
    finishBatch(ctx, candidates, enriched.map((value, i) => ({ ok: true as const, value, nearKey: keys[i]! })), now, out);
    lap('drafts');
    const packed = packBatch(out);
    lap('pack');
    const bytes = v8.serialize(packed);
    lap('serialize');
    const copy = v8.deserialize(bytes) as PackedBatch;
    lap('deserialize (main)');
    unpackBatch(copy);
    lap('unpack (main)');
  }
  return ms;
}

writeRepeatedAirline(file, ROWS);
const enrichers = await defaultEnrichers('language');
const passes = [await pass(enrichers), await pass(enrichers), await pass(enrichers)];
fs.rmSync(dir, { recursive: true, force: true });
let total = 0;
console.log(`${ROWS} rows in batches of ${BATCH}, one thread, best of 3 passes (µs per row, wall):`);
for (const step of STEPS) {
  const best = Math.min(...passes.map((p) => p[step])) * 1000 / ROWS;
  total += best;
  console.log(`  ${step.padEnd(20)} ${best.toFixed(2)}`);
}
console.log(`  ${'sum'.padEnd(20)} ${total.toFixed(2)}`);
