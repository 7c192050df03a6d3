/** `earshot sources list|add|remove`, through the same services as the API. */
import { openCliContext, resolveWorkspace, type CliDbOptions } from './context.ts';
import { closeContext } from '../app.ts';
import { deleteSource, listSources } from '../sources/source.repository.ts';
import { createSource, toSourceView } from '../sources/source.service.ts';
import { findBrandByName } from '../brands/brand.repository.ts';
import { ValidationError } from '../lib/errors.ts';
import type { AppContext } from '../app-context.ts';

async function withContext<T>(opts: CliDbOptions, run: (ctx: AppContext, workspaceId: number) => Promise<T>): Promise<T> {
  const ctx = await openCliContext(opts);
  try {
    return await run(ctx, (await resolveWorkspace(ctx, opts.workspace)).id);
  } finally {
    await closeContext(ctx);
  }
}

const when = (ms: number | null) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '—');

export function listSourcesCli(opts: CliDbOptions): Promise<void> {
  return withContext(opts, async (ctx, ws) => {
    const rows = await listSources(ctx.db.kysely, ws);
    if (!rows.length) return void console.log('no sources yet: add one with `earshot sources add --kind rss --name "My blog" --url https://…`');
    for (const s of rows) {
      const state = s.enabled ? s.status : 'paused';
      console.log(`${String(s.id).padStart(4)}  ${s.kind.padEnd(8)} ${state.padEnd(8)} stored ${String(s.itemsStored).padStart(7)}  last fetch ${when(s.lastFetchAt)}  ${s.name}`);
      if (s.lastError) console.log(`      last error: ${s.lastError}`);
    }
  });
}

export function addSourceCli(opts: CliDbOptions & { kind: string; name: string; url?: string; settings: string; brand?: string }): Promise<void> {
  return withContext(opts, async (ctx, ws) => {
    let settings: Record<string, unknown>;
    try {
      settings = JSON.parse(opts.settings) as Record<string, unknown>;
    } catch {
      throw new ValidationError('--settings is not valid JSON', { settings: 'not JSON' });
    }
    if (opts.url) settings.url = opts.url;
    const brand = opts.brand ? await findBrandByName(ctx.db.kysely, ws, opts.brand) : undefined;
    if (opts.brand && !brand) throw new ValidationError(`no brand named "${opts.brand}" in workspace ${ws}`, { brand: 'unknown' });
    const s = await createSource(ctx, ws, { kind: opts.kind, name: opts.name, settings, brandId: brand?.id ?? null });
    console.log(`added source ${s.id} (${s.kind}) "${s.name}"`);
    if (s.kind === 'webhook') console.log(`POST signed deliveries to /api/ingest/webhook/${s.id} with the secret ${String(s.settings.secret)} (shown once)`);
    else console.log(JSON.stringify(toSourceView(s).settings));
  });
}

export function removeSourceCli(id: number, opts: CliDbOptions): Promise<void> {
  return withContext(opts, async (ctx, ws) => {
    await deleteSource(ctx.db.kysely, ws, id);
    console.log(`removed source ${id}`);
  });
}
