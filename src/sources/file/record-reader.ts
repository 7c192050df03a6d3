/**
 * Streams records out of a CSV (RFC 4180: quoted fields, embedded newlines, BOM, `,` or `;`) or JSONL
 * file, with the line number of each. A malformed record is reported with its line, never dropped.
 * A large CSV file is parsed in a worker thread (`csv.worker.ts`), so that parsing runs on another core than
 * the store (parsing costs about as much per row as enrichment with the language model).
 */
import fs from 'node:fs';
import os from 'node:os';
import readline from 'node:readline';
import { Worker } from 'node:worker_threads';
import { parse } from 'csv-parse';
import { errorMessage } from '../../lib/errors.ts';
import { WORKER_BOOT } from '../../lib/worker-boot.ts';

export type FileFormat = 'csv' | 'jsonl';

export type FileRecord =
  | { ok: true; line: number; record: Record<string, unknown> }
  | { ok: false; line: number; error: string; raw: string };

export function formatFromPath(file: string): FileFormat | null {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  return null;
}

/** Semicolon-separated exports (common in German and Spanish spreadsheets) are recognised by their header. */
async function sniffDelimiter(file: string): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const firstLine = buf.subarray(0, bytesRead).toString('utf8').split(/\r?\n/)[0] ?? '';
    return (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  } finally {
    await handle.close();
  }
}

/** CSV files at least this large are parsed in a worker thread; below, starting one costs more than it saves. */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/** What the CSV worker thread sends: a chunk of records, the end, or why it stopped. */
export type CsvWorkerMessage = { records: FileRecord[] } | { done: true } | { error: string };

/** Records per chunk of `readRecordChunks` (and of the CSV worker's messages). */
export const RECORD_CHUNK = 1000;

/** `thread`: where to parse — 'auto' (default) picks a worker thread for large files on a multi-core machine. */
export async function* readCsv(file: string, thread: 'auto' | 'worker' | 'inline' = 'auto'): AsyncGenerator<FileRecord> {
  for await (const chunk of readCsvChunks(file, thread)) yield* chunk;
}

async function* readCsvChunks(file: string, thread: 'auto' | 'worker' | 'inline' = 'auto'): AsyncGenerator<FileRecord[]> {
  const inWorker = thread === 'worker' || (thread === 'auto' && os.availableParallelism() > 1 && (await fs.promises.stat(file)).size >= WORKER_MIN_BYTES);
  if (inWorker) yield* parseCsvInWorker(file);
  else yield* chunked(parseCsv(file));
}

/** Groups records into arrays of up to `RECORD_CHUNK`, in order. */
export async function* chunked(records: AsyncIterable<FileRecord>): AsyncGenerator<FileRecord[]> {
  let chunk: FileRecord[] = [];
  for await (const r of records) {
    chunk.push(r);
    if (chunk.length >= RECORD_CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

let parserThreads = 0;

/** How many CSV parser threads are running now (each import that reads a large CSV file has one until it ends). */
export function csvParserThreads(): number {
  return parserThreads;
}

/** `parseCsv` in a worker thread; the worker stays a few chunks ahead of the reader and stops when it leaves. */
async function* parseCsvInWorker(file: string): AsyncGenerator<FileRecord[]> {
  parserThreads++;
  const worker = new Worker(WORKER_BOOT, {
    workerData: { entry: new URL('./csv.worker.ts', import.meta.url).href, file },
    // A small young generation: the worker's garbage is short-lived chunks, and every MB here is resident.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  const queue: CsvWorkerMessage[] = [];
  let wake: (() => void) | null = null;
  const receive = (m: CsvWorkerMessage) => {
    queue.push(m);
    wake?.();
    wake = null;
  };
  worker.on('message', receive);
  worker.on('error', (err) => receive({ error: errorMessage(err) }));
  worker.on('exit', (code) => receive({ error: `the CSV reader thread stopped unexpectedly (exit code ${code})` }));
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift()!;
      if ('done' in m) return;
      if ('error' in m) throw new Error(m.error);
      worker.postMessage('more');
      yield m.records;
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
    parserThreads--;
  }
}

/** Parses a CSV file in this thread. */
export async function* parseCsv(file: string): AsyncGenerator<FileRecord> {
  const skipped: FileRecord[] = [];
  // Before the stream opens: a read error while this waited would have had no listener (an uncaught exception).
  const delimiter = await sniffDelimiter(file);
  const input = fs.createReadStream(file);
  const parser = input.pipe(
    parse({
      columns: (header: string[]) => header.map((h, i) => h.trim() || `column_${i + 1}`),
      bom: true,
      delimiter,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        const e = err as { lines?: number; message?: string; raw?: string } | undefined;
        const line = Number(e?.lines ?? 0);
        skipped.push({ ok: false, line, error: `CSV line ${line || '?'}: ${e?.message ?? 'unreadable record'}`, raw: e?.raw ?? '' });
        return undefined;
      },
    }),
  );
  // pipe() does not forward read errors: hand them to the parser so the loop below throws them.
  input.on('error', (err) => parser.destroy(err));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, unknown>; info: { lines: number } }>) {
      while (skipped.length) yield skipped.shift()!;
      yield { ok: true, line: info.lines, record };
    }
    while (skipped.length) yield skipped.shift()!;
  } finally {
    input.destroy();
  }
}

export async function* readJsonl(file: string): AsyncGenerator<FileRecord> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!text.trim()) continue;
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) yield { ok: false, line, error: `JSONL line ${line}: not a JSON object`, raw: text.slice(0, 10_000) };
      else yield { ok: true, line, record: value as Record<string, unknown> };
    } catch (err) {
      yield { ok: false, line, error: `JSONL line ${line}: invalid JSON (${(err as Error).message})`, raw: text.slice(0, 10_000) };
    }
  }
}

/**
 * Records of a CSV or JSONL file, in order, in arrays of up to `RECORD_CHUNK`: a large import takes one asynchronous
 * step per chunk instead of one per record (each step through these generators costs about a microsecond). Stop
 * early by leaving the loop (the file is closed, a CSV worker stopped).
 */
export function readRecordChunks(file: string, format: FileFormat): AsyncGenerator<FileRecord[]> {
  return format === 'csv' ? readCsvChunks(file) : chunked(readJsonl(file));
}

/** The header of a CSV file (for guessing the field mapping); JSONL has none. */
export async function csvColumns(file: string): Promise<string[]> {
  for await (const r of parseCsv(file)) if (r.ok) return Object.keys(r.record);
  return [];
}
