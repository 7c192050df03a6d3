/** `earshot import`: a file source created (or reused) for the file, read to the end through the pipeline. */
import fs from 'node:fs';
import path from 'node:path';
import { openCliContext, resolveWorkspace } from './context.ts';
import { closeContext } from '../app.ts';
import { parseFieldMap } from '../sources/record-mapper.ts';
import { findBrandByName } from '../brands/brand.repository.ts';
import { createBrand } from '../brands/brand.service.ts';
import { findSourceByName } from '../sources/source.repository.ts';
import { createSource, updateSource } from '../sources/source.service.ts';
import { resolveFormat } from '../sources/file/file.source.ts';
import type { AppContext } from '../app-context.ts';

export interface ImportArgs {
  brand: string;
  format?: 'csv' | 'jsonl';
  map?: string;
  channel?: string;
  db?: string;
  workspace?: string;
}

async function ensureBrand(ctx: AppContext, workspaceId: number, name: string) {
  const existing = await findBrandByName(ctx.db.kysely, workspaceId, name);
  if (existing) return existing;
  const brand = await createBrand(ctx, workspaceId, { name, kind: 'own', query: `"${name.replace(/"/g, '')}"` });
  console.error(`created brand "${name}" (id ${brand.id})`);
  return brand;
}

/** @returns the process exit code: 0 when every row was stored or already known, 1 when rows were dead-lettered. */
export async function runImport(file: string, args: ImportArgs): Promise<number> {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new Error(`file not found: ${file}`);
  const settings = { path: abs, ...(args.format ? { format: args.format } : {}), map: parseFieldMap(args.map), ...(args.channel ? { channel: args.channel } : {}) };
  resolveFormat(settings);
  const ctx = await openCliContext(args);
  try {
    const ws = await resolveWorkspace(ctx, args.workspace);
    const brand = await ensureBrand(ctx, ws.id, args.brand);
    const name = `import: ${path.basename(abs)}`;
    const existing = await findSourceByName(ctx.db.kysely, ws.id, name);
    const source = existing
      ? await updateSource(ctx, ws.id, existing.id, { settings, brandId: brand.id, enabled: true })
      : await createSource(ctx, ws.id, { kind: 'file', name, settings, brandId: brand.id });
    const started = Date.now();
    const report = await ctx.scheduler.runNow(source.id, new AbortController().signal, (r) => {
      process.stderr.write(`\r${r.stored} stored, ${r.known} already known, ${r.failed} dead-lettered…`);
    });
    const secs = (Date.now() - started) / 1000;
    process.stderr.write('\n');
    if (!report.ok) {
      console.error(`import failed: ${report.error}`);
      return 2;
    }
    console.log(`${path.basename(abs)} → brand "${brand.name}" (workspace ${ws.id}, source ${source.id}): ${report.stored} new mentions, ${report.known} already stored (same id), ${report.failed} dead-lettered, in ${secs.toFixed(1)} s`);
    if (report.failed) console.log(`see the rejected rows and their line numbers with GET /api/workspaces/${ws.id}/dead-letters?sourceId=${source.id}`);
    return report.failed ? 1 : 0;
  } finally {
    await closeContext(ctx);
  }
}
