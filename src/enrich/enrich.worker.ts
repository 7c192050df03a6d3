/** Worker thread of the enrichment runner: loads the default enrichers once, enriches batches on request. */
import { parentPort, workerData } from 'node:worker_threads';
import type { EnrichInput } from './enricher.ts';
import { defaultEnrichers, type EnrichProfile } from './default-enrichers.ts';
import { enrichInline } from './enrich-runner.ts';

const enrichers = await defaultEnrichers((workerData as { profile?: EnrichProfile } | undefined)?.profile ?? 'full');
parentPort?.on('message', (m: { id: number; inputs: EnrichInput[] }) => {
  parentPort?.postMessage({ id: m.id, results: enrichInline(enrichers, m.inputs) });
});
