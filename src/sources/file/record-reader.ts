/**
 * Streams records out of a CSV (RFC 4180: quoted fields, embedded newlines, BOM, `,` or `;`) or JSONL
 * file, with the line number of each. A malformed record is reported with its line, never dropped.
 * A large CSV file is parsed in a worker thread (`csv.worker.ts`), so that parsing runs on another core than
 * the store (parsing costs about as much per row as enrichment with the language model).
 */
import fs from 'node:fs';
import os from 'node:os';
import readline from 'node:readline';
import Papa from 'papaparse';
import { streamFromWorker } from '../../lib/worker-stream.ts';

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

/** Files at least this large are read in a worker thread; below, starting one costs more than it saves. */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/** Records per chunk of `readRecordChunks` (and of the CSV worker's messages). */
export const RECORD_CHUNK = 1000;

/** `thread`: where to parse — 'auto' (default) picks a worker thread for large files on a multi-core machine. */
export async function* readCsv(file: string, thread: 'auto' | 'worker' | 'inline' = 'auto'): AsyncGenerator<FileRecord> {
  for await (const chunk of readCsvChunks(file, thread)) yield* chunk;
}

async function* readCsvChunks(file: string, thread: 'auto' | 'worker' | 'inline' = 'auto'): AsyncGenerator<FileRecord[]> {
  if (thread === 'worker' || (thread === 'auto' && (await worthAThread(file)))) yield* parseCsvInWorker(file);
  else yield* parseCsvChunks(file);
}

/** Whether reading `file` in a thread of its own pays: a file of at least 4 MB on a machine with two cores or more. */
export async function worthAThread(file: string): Promise<boolean> {
  return os.availableParallelism() > 1 && (await fs.promises.stat(file)).size >= WORKER_MIN_BYTES;
}

/** Groups records into arrays of up to `RECORD_CHUNK`, in order. */
async function* chunked(records: AsyncIterable<FileRecord>): AsyncGenerator<FileRecord[]> {
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

/** `parseCsvChunks` in a worker thread (`csv.worker.ts`); it stays a few chunks ahead of the reader and stops when it leaves. */
function parseCsvInWorker(file: string): AsyncGenerator<FileRecord[]> {
  return streamFromWorker<FileRecord[]>(new URL('./csv.worker.ts', import.meta.url), { file }, 'CSV reader');
}

/** A record longer than this (an unclosed quote swallowing the rest of the file, usually) ends the file's reading. */
export const MAX_CSV_RECORD_CHARS = 1_000_000;
/** How much of a rejected record is kept with its dead letter. */
const RAW_KEPT = 10_000;

/**
 * Turns a CSV file's text, chunk by chunk, into records with the line each ends on. Parsing is papaparse's core
 * parser (`Papa.Parser`, about four times cheaper per row than csv-parse's, which showed as a sixth of a large
 * import's worker thread: docs/decisions/0006, "Seventh round"); on top of it, what an import needs and
 * `Papa.parse`'s stream modes do not give: line numbers, the header's field count enforced per record (a record with
 * more or fewer fields is rejected with its line, never shifted into the wrong columns), records with broken quotes
 * rejected, empty lines skipped, a BOM dropped, and a bound on an unfinished record.
 */
export class CsvRecords {
  private parser: Papa.Parser | null = null;
  /** Line breaks inside fields are counted by this character ("\r" in files with CR-only line ends). */
  private lineBreak = '\n';
  /** Text after the last complete record, parsed again with the next chunk. */
  private partial = '';
  /** The line the next record starts on. */
  private line = 1;
  private columns: string[] | null = null;
  /** Set when the file cannot be read further (an unfinished record over the limit). */
  done = false;

  constructor(private readonly delimiter: string) {}

  /** The records completed by `text` (all remaining ones when `last`), rejects in place. */
  push(text: string, last: boolean): FileRecord[] {
    const out: FileRecord[] = [];
    if (this.done) return out;
    if (this.parser === null) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const newline = guessNewline(text);
      this.lineBreak = newline === '\r' ? '\r' : '\n';
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline });
    }
    const input = this.partial + text;
    const result = this.parser.parse(input, 0, !last) as Papa.ParseResult<string[]>;
    this.partial = last ? '' : input.slice(result.meta.cursor);
    let broken: Map<number, Papa.ParseError> | null = null;
    for (const e of result.errors) if (e.row !== undefined && !(broken ??= new Map()).has(e.row)) broken.set(e.row, e);
    const rows = result.data;
    for (let r = 0; r < rows.length; r++) {
      const fields = rows[r] as string[];
      const start = this.line;
      // The record ends on its start line plus the line breaks inside its (quoted) fields.
      let end = start;
      for (const f of fields) for (let i = f.indexOf(this.lineBreak); i !== -1; i = f.indexOf(this.lineBreak, i + 1)) end++;
      this.line = end + 1;
      const error = broken?.get(r);
      if (error) out.push(this.reject(start, `${error.message} (the record is left out)`, fields));
      else if (fields.length === 1 && fields[0] === '') continue;
      else if (!this.columns) this.columns = fields.map((h, i) => h.trim() || `column_${i + 1}`);
      else if (fields.length !== this.columns.length) out.push(this.reject(end, `${fields.length} fields where the header has ${this.columns.length} (the record is left out)`, fields));
      else {
        const record: Record<string, unknown> = {};
        for (let i = 0; i < fields.length; i++) record[this.columns[i]!] = fields[i];
        out.push({ ok: true, line: end, record });
      }
    }
    if (this.partial.length > MAX_CSV_RECORD_CHARS) {
      // Parsed again with every chunk, an unfinished record would cost time quadratic in its length.
      out.push({ ok: false, line: this.line, error: `CSV line ${this.line}: a record longer than ${MAX_CSV_RECORD_CHARS.toLocaleString('en')} characters (is a quote not closed?); the rest of the file is not read`, raw: this.partial.slice(0, RAW_KEPT) });
      this.partial = '';
      this.done = true;
    }
    return out;
  }

  private reject(line: number, error: string, fields: string[]): FileRecord {
    return { ok: false, line, error: `CSV line ${line}: ${error}`, raw: fields.join(this.delimiter).slice(0, RAW_KEPT) };
  }
}

/** The file's line ends, from its first chunk: the first line break outside quotes, "\r\n", "\r" or "\n". */
function guessNewline(text: string): '\r\n' | '\r' | '\n' {
  const unquoted = text.slice(0, 1 << 20).replace(/"[^"]*"/g, '');
  const cr = unquoted.indexOf('\r');
  const lf = unquoted.indexOf('\n');
  if (cr === -1 || (lf !== -1 && lf < cr)) return '\n';
  return unquoted.charCodeAt(cr + 1) === 10 ? '\r\n' : '\r';
}

/** Parses a CSV file in this thread. */
export async function* parseCsv(file: string): AsyncGenerator<FileRecord> {
  for await (const chunk of parseCsvChunks(file)) yield* chunk;
}

/** Parses a CSV file in this thread, in chunks of up to about `RECORD_CHUNK` records (rejects included). */
export async function* parseCsvChunks(file: string): AsyncGenerator<FileRecord[]> {
  // Before the stream opens: a read error while this waited would have had no listener (an uncaught exception).
  const records = new CsvRecords(await sniffDelimiter(file));
  // As UTF-8 text: the decoder keeps a character split between two reads whole, and turns invalid bytes into U+FFFD.
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  let chunk: FileRecord[] = [];
  try {
    // One 64 KB read can complete tens of thousands of short records: appended in a loop, not spread as arguments.
    const add = (records: FileRecord[]) => {
      for (const r of records) chunk.push(r);
    };
    for await (const text of input as AsyncIterable<string>) {
      add(records.push(text, false));
      if (records.done) break;
      if (chunk.length >= RECORD_CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
    add(records.push('', true));
    if (chunk.length) yield chunk;
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
export function readRecordChunks(file: string, format: FileFormat, thread: 'auto' | 'inline' = 'auto'): AsyncGenerator<FileRecord[]> {
  return format === 'csv' ? readCsvChunks(file, thread) : chunked(readJsonl(file));
}

/** The header of a CSV file (for guessing the field mapping); JSONL has none. */
export async function csvColumns(file: string): Promise<string[]> {
  for await (const r of parseCsv(file)) if (r.ok) return Object.keys(r.record);
  return [];
}
