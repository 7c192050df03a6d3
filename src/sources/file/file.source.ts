/**
 * File import (CSV or JSONL) as a Source. The cursor is the number of records already committed, so an
 * interrupted import resumes where it stopped; ids come from the mapped id column or the row's content,
 * so importing the same file again stores nothing twice.
 */
import fs from 'node:fs';
import { z } from 'zod';
import type { Source, SourceBatch, SourceItem, SourceReject } from '../../pipeline/source.ts';
import { createRecordMapper, MAPPED_FIELDS, type FieldMap } from '../record-mapper.ts';
import { csvColumns, formatFromPath, readRecordChunks, type FileFormat } from './record-reader.ts';

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
    async *read(cursor, signal): AsyncGenerator<SourceBatch> {
      if (!fs.existsSync(settings.path)) throw new Error(`file not found: ${settings.path}`);
      const done = cursor ? (JSON.parse(cursor) as FileCursor).records : 0;
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
      for await (const chunk of readRecordChunks(settings.path, format)) {
        if (signal.aborted) return;
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
    },
  };
}
