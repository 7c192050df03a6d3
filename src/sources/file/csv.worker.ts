/**
 * Worker thread of `readCsv` for large files: parses the CSV and posts the records in chunks, at most a few
 * chunks ahead of what the reader has taken (each 'more' message from it allows one more), so a large file is
 * never held in memory whole.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../lib/errors.ts';
import { chunked, parseCsv, type CsvWorkerMessage } from './record-reader.ts';

const AHEAD = 16;

const port = parentPort!;
let credit = AHEAD;
let wake: (() => void) | null = null;
port.on('message', () => {
  credit++;
  wake?.();
  wake = null;
});

async function send(message: CsvWorkerMessage): Promise<void> {
  while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
  credit--;
  port.postMessage(message);
}

try {
  for await (const records of chunked(parseCsv((workerData as { file: string }).file))) await send({ records });
  port.postMessage({ done: true } satisfies CsvWorkerMessage);
} catch (err) {
  port.postMessage({ error: errorMessage(err) } satisfies CsvWorkerMessage);
}
