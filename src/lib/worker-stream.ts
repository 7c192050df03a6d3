/**
 * A worker thread that produces a stream of values for the thread that started it, never more than a few values
 * ahead of what that thread has taken (each value taken gives the worker credit for one more), so a large input
 * is never held in memory whole. The worker sends with `creditedSender`; the parent reads with `streamFromWorker`.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import { errorMessage } from './errors.ts';
import { WORKER_BOOT } from './worker-boot.ts';

type StreamMessage<T> = { value: T } | { done: true } | { error: string };

export interface CreditedSender<T> {
  /** Sends one value, after waiting until the reader has room for it. */
  send(value: T): Promise<void>;
  /** The stream ended normally. */
  end(): void;
  /** The stream ended with this error (the reader throws it). */
  fail(err: unknown): void;
}

/** Worker side: at most `ahead` values in flight. */
export function creditedSender<T>(port: MessagePort, ahead: number): CreditedSender<T> {
  let credit = ahead;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credit++;
    wake?.();
    wake = null;
  });
  return {
    async send(value) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      credit--;
      port.postMessage({ value } satisfies StreamMessage<T>);
    },
    end: () => port.postMessage({ done: true } satisfies StreamMessage<T>),
    fail: (err) => port.postMessage({ error: errorMessage(err) } satisfies StreamMessage<T>),
  };
}

let running = 0;

/** How many stream workers are running now (each ends when its reader leaves the loop, however it leaves). */
export function streamWorkers(): number {
  return running;
}

/**
 * Parent side: starts the worker module `entry` with `data` as its workerData and yields the values it sends, in
 * order. Leaving the loop (the end, an error, or `break`) terminates the worker. `what` names it in errors.
 */
export async function* streamFromWorker<T>(entry: URL, data: Record<string, unknown>, what: string, youngGenerationMb = 8): AsyncGenerator<T> {
  running++;
  const worker = new Worker(WORKER_BOOT, {
    workerData: { ...data, entry: entry.href },
    // A small young generation by default: a stream worker's garbage is short-lived chunks, and every MB here is resident.
    resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb },
  });
  const queue: StreamMessage<T>[] = [];
  let wake: (() => void) | null = null;
  const receive = (m: StreamMessage<T>) => {
    queue.push(m);
    wake?.();
    wake = null;
  };
  worker.on('message', receive);
  worker.on('error', (err) => receive({ error: errorMessage(err) }));
  worker.on('exit', (code) => receive({ error: `the ${what} thread stopped unexpectedly (exit code ${code})` }));
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift()!;
      if ('done' in m) return;
      if ('error' in m) throw new Error(m.error);
      worker.postMessage('more');
      yield m.value;
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
    running--;
  }
}
