/**
 * Worker thread of a large file import (`file.source.ts`): reads the file, maps its records and prepares each
 * batch for the store exactly as the pipeline would — normalise, enrich with the default models, near-duplicate
 * keys, drafts (pipeline/prepare.ts) — and sends the prepared batches (as columns: pipeline/packed-batch.ts), at most two ahead of what the import has
 * stored. The main thread then only writes to the database, which is what bounds the import's rate.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { creditedSender } from '../../lib/worker-stream.ts';
import { defaultEnrichers } from '../../enrich/default-enrichers.ts';
import { enrichInline } from '../../enrich/enrich-runner.ts';
import { enrichInputs, finishBatch, screenBatch } from '../../pipeline/prepare.ts';
import { packBatch, type PackedBatch } from '../../pipeline/packed-batch.ts';
import { fileBatches, type ImportJob } from './file.source.ts';
import { readRecordChunks } from './record-reader.ts';
import { lowerThreadPriority } from '../../lib/thread-priority.ts';

/**
 * The import's rate is the main thread's (the store), and this thread has time to spare; at equal priority the
 * two cores' scheduler kept preempting the store for it (≈ 12 % of the import's time at 1M rows). At the lowest
 * priority, 19, the store waits for a core about a third less than at niceness 5 (2.6–4.1 s against 3.8–6.6 s of a
 * 1M-row import, thirteen pairs: BENCHMARKS.md, ingest); it also keeps a bulk import from crowding out the API.
 */
const IMPORT_WORKER_NICENESS = 19;

const { job } = workerData as { job: ImportJob };
lowerThreadPriority(IMPORT_WORKER_NICENESS);
const out = creditedSender<PackedBatch>(parentPort!, 2);
try {
  const enrichers = await defaultEnrichers(job.prepare.profile);
  const { ctx, clockOffsetMs } = job.prepare;
  for await (const batch of fileBatches(job.settings, job.format, job.done, job.batchSize, readRecordChunks(job.settings.path, job.format, 'inline'))) {
    const now = Date.now() + clockOffsetMs;
    const { out: prepared, candidates } = screenBatch(ctx, batch, null, now);
    finishBatch(ctx, candidates, enrichInline(enrichers, enrichInputs(candidates)), now, prepared);
    await out.send(packBatch(prepared));
  }
  out.end();
} catch (err) {
  out.fail(err);
}
