/**
 * SQLite WAL checkpoints in a thread of their own. By default the connection that commits runs the checkpoint
 * once the WAL is large: it copies the committed pages into the database file and waits for them to reach the
 * disk, inside that commit — on the main thread, between two batches of an import (decision 0006: about 4 µs
 * per mention, most of it waiting for fsync). Here a worker thread with its own connection runs a PASSIVE
 * checkpoint (it never blocks a writer) a few times a second instead, and the main connection's automatic
 * checkpoint stays only as a safety net far above the usual WAL size, should the thread fall behind or fail.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** Milliseconds between two checkpoints of the thread. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** The main connection's own automatic checkpoint when the thread runs: ≈ 400 MB of WAL. */
export const SAFETY_NET_PAGES = 100_000;

export interface Checkpointer {
  /** Stops the thread after its current checkpoint; its connection is closed when this resolves. */
  stop(): Promise<void>;
}

/** Starts the checkpoint thread for the database file `file`, or returns null where one would not help (one core). */
export function startCheckpointer(file: string): Checkpointer | null {
  if (os.availableParallelism() < 2) return null;
  const worker = new Worker(new URL('./checkpoint.worker.mjs', import.meta.url), {
    workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS },
    resourceLimits: { maxYoungGenerationSizeMb: 2 },
  });
  // Never what keeps the process alive.
  worker.unref();
  // A thread that failed (the file went away) leaves the safety net in charge; there is nothing to report to.
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Kept alive until it has closed its connection.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
