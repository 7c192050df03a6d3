/**
 * File import (CSV or JSONL) as a Source. The cursor is the number of records already committed, so an
 * interrupted import resumes where it stopped; ids come from the mapped id column or the row's content,
 * so importing the same file again stores nothing twice.
 */
import fs from 'node:fs';
import { z } from 'zod';
import type { Source, SourceBatch, SourceItem, SourceReject } from '../../pipeline/source.ts';
import { createRecordMapper, MAPPED_FIELDS, type FieldMap } from '../record-mapper.ts';
import { csvColumns, formatFromPath, readRecordChunks, worthAThread, type FileFormat, type FileRecord } from './record-reader.ts';
import { streamFromWorker } from '../../lib/worker-stream.ts';
import type { RemotePreparation } from '../../pipeline/prepare.ts';
import { unpackBatch, type PackedBatch } from '../../pipeline/packed-batch.ts';

export const fileSettings = z.object({
  path: z.string().min(1),
  format: z.enum(['csv', 'jsonl']).optional(),
  map: z.partialRecord(z.enum(MAPPED_FIELDS), z.string().min(1)).optional(),
  batchSize: z.number().int().min(1).max(50_000).optional(),
  /** Channel shown for rows that do not name one (e.g. "twitter" for a tweet export). */
  channel: z.string().min(1).max(64).optional(),
});
export type FileSettings = z.infer<typeof fileSettings>;

interface FileCursor {
  records: number;
}

export function resolveFormat(settings: FileSettings): FileFormat {
  const format = settings.format ?? formatFromPath(settings.path);
  if (!format) throw new Error(`cannot tell the format of ${settings.path}: name it .csv or .jsonl, or pass --format`);
  return format;
}

export function createFileSource(settings: FileSettings, defaults: { batchSize: number }): Source {
  const format = resolveFormat(settings);
  const batchSize = settings.batchSize ?? defaults.batchSize;
  return {
    async *read(cursor, signal, options): AsyncGenerator<SourceBatch> {
      if (!fs.existsSync(settings.path)) throw new Error(`file not found: ${settings.path}`);
      const done = cursor ? (JSON.parse(cursor) as FileCursor).records : 0;
      // A large file is read, mapped and (when the runner allows it) prepared for the store in one worker thread.
      if (options?.prepare && (await worthAThread(settings.path))) {
        const job: ImportJob = { settings, format, done, batchSize, prepare: options.prepare };
        for await (const packed of streamFromWorker<PackedBatch>(new URL('./import.worker.ts', import.meta.url), { job }, 'file import', IMPORT_WORKER_YOUNG_MB)) {
          if (signal.aborted) return;
          yield { items: [], cursor: packed.cursor, prepared: unpackBatch(packed) };
        }
        return;
      }
      for await (const batch of fileBatches(settings, format, done, batchSize, readRecordChunks(settings.path, format))) {
        if (signal.aborted) return;
        yield batch;
      }
    },
  };
}

/**
 * The import worker's young generation: it allocates ≈ 1 KB per row that dies within its batch, and with 8 MB its
 * scavenges took ≈ 9 µs per row; 16 MB halves that for ≈ 15 MB of memory (32 MB: no faster, +15 MB more).
 */
const IMPORT_WORKER_YOUNG_MB = 16;

/** What the import worker is asked to do (`import.worker.ts`). */
export interface ImportJob {
  settings: FileSettings;
  format: FileFormat;
  /** Records already committed (the cursor): skipped. */
  done: number;
  batchSize: number;
  prepare: RemotePreparation;
}

/**
 * The file's records as batches of `batchSize` items and rejects (a malformed record or one the mapping cannot
 * use, with its line), after the first `done` records; each batch's cursor counts the records read so far.
 */
export async function* fileBatches(settings: FileSettings, format: FileFormat, done: number, batchSize: number, chunks: AsyncIterable<FileRecord[]>): AsyncGenerator<SourceBatch> {
  const mapper = createRecordMapper((settings.map ?? {}) as FieldMap, format === 'csv' ? await csvColumns(settings.path) : undefined);
  let seen = 0;
  let items: SourceItem[] = [];
  let rejects: SourceReject[] = [];
  const batch = (): SourceBatch => {
    const b = { items, rejects, cursor: JSON.stringify({ records: seen } satisfies FileCursor) };
    items = [];
    rejects = [];
    return b;
  };
  for await (const chunk of chunks) {
    for (const r of chunk) {
      if (++seen <= done) continue;
      if (!r.ok) rejects.push({ error: r.error, payload: { line: r.line, raw: r.raw } });
      else {
        try {
          const item = mapper.map(r.record);
          item.channel ??= settings.channel ?? 'import';
          items.push(item);
        } catch (err) {
          rejects.push({ error: `line ${r.line}: ${(err as Error).message}`, payload: { line: r.line, record: r.record } });
        }
      }
      if (items.length + rejects.length >= batchSize) yield batch();
    }
  }
  if (items.length + rejects.length > 0 || seen > done) yield batch();
}
