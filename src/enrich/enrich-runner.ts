/**
 * Runs the enrichers over many texts, either in this thread or in a worker thread. On a machine with two
 * or more cores the worker lets language/sentiment models run while the main thread parses input and
 * writes to the database, so a large import uses both cores. Small batches (a webhook, a feed poll) are
 * enriched inline: a round trip to the worker would cost more than it saves.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { WORKER_BOOT } from '../lib/worker-boot.ts';
import { nearDuplicateKey } from '../pipeline/near-duplicate.ts';
import { runEnrichers, type EnrichInput, type Enricher, type Enrichment } from './enricher.ts';
import type { EnrichProfile } from './default-enrichers.ts';

/**
 * A text's enrichment and its near-duplicate key: the pipeline's per-text CPU work, done together so that a large
 * batch does all of it in the worker thread.
 */
export type EnrichOutcome = { ok: true; value: Enrichment; nearKey: string | null } | { ok: false; error: string };

export interface EnrichmentRunner {
  enrichMany(inputs: EnrichInput[]): Promise<EnrichOutcome[]>;
  /** The default enrichers' profile this runner uses (another thread can load the same); absent for custom enrichers. */
  readonly profile?: EnrichProfile;
  close(): Promise<void>;
}

export function enrichInline(enrichers: readonly Enricher[], inputs: EnrichInput[]): EnrichOutcome[] {
  return inputs.map((input) => {
    try {
      return { ok: true, value: runEnrichers(enrichers, input), nearKey: nearDuplicateKey(input.text) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  });
}

export function inlineRunner(enrichers: readonly Enricher[]): EnrichmentRunner {
  return { enrichMany: async (inputs) => enrichInline(enrichers, inputs), close: async () => {} };
}

/** Batches at least this large go to the worker. */
const WORKER_MIN_BATCH = 200;

/**
 * A runner backed by one worker thread running the default enrichers of `profile`, started on the first
 * large batch; `load` gives the same enrichers for small batches run in this thread.
 * Falls back to inline enrichment when the machine has a single core.
 */
export function workerRunner(load: () => Promise<readonly Enricher[]>, options: { profile: EnrichProfile; minBatch?: number }): EnrichmentRunner {
  // Models are loaded in this thread only if a small batch needs them: a bulk import never does, which
  // keeps a second copy of the n-gram tables out of memory.
  let local: Promise<readonly Enricher[]> | null = null;
  const inline = async (inputs: EnrichInput[]) => enrichInline(await (local ??= load()), inputs);
  if (os.availableParallelism() < 2) return { enrichMany: inline, profile: options.profile, close: async () => {} };
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: EnrichOutcome[]): void; reject(e: Error): void }>();
  const start = (): Worker => {
    const w = new Worker(WORKER_BOOT, {
      workerData: { entry: new URL('./enrich.worker.ts', import.meta.url).href, profile: options.profile },
      // A small young generation, as for the CSV reader: its garbage is per-batch and every MB here is resident.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    w.on('message', (m: { id: number; results: EnrichOutcome[] }) => {
      waiting.get(m.id)?.resolve(m.results);
      waiting.delete(m.id);
      // An idle worker must not keep the process alive; a busy one must (someone awaits its answer).
      if (waiting.size === 0) w.unref();
    });
    w.on('error', (err) => {
      for (const p of waiting.values()) p.reject(err);
      waiting.clear();
      worker = null;
    });
    return w;
  };
  return {
    profile: options.profile,
    async enrichMany(inputs) {
      if (inputs.length < (options.minBatch ?? WORKER_MIN_BATCH)) return inline(inputs);
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ id, inputs });
      });
    },
    async close() {
      await worker?.terminate();
      worker = null;
    },
  };
}
