/**
 * Worker thread of `readCsv` for large files: parses the CSV and sends the records in chunks, at most a few
 * chunks ahead of what the reader has taken (lib/worker-stream.ts), so a large file is never held in memory whole.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { creditedSender } from '../../lib/worker-stream.ts';
import { parseCsvChunks, type FileRecord } from './record-reader.ts';

const out = creditedSender<FileRecord[]>(parentPort!, 16);
try {
  for await (const records of parseCsvChunks((workerData as { file: string }).file)) await out.send(records);
  out.end();
} catch (err) {
  out.fail(err);
}
