/** Source rules: kind-specific settings validation, brand ownership checks, secret masking, "fetch now". */
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ValidationError } from '../lib/errors.ts';
import { getBrandById } from '../brands/brand.repository.ts';
import { sealSecrets } from '../lib/secret-box.ts';
import { getSourceKind, maskSecrets, validateSettings } from './registry.ts';
import * as repo from './source.repository.ts';

export const sourceInput = z.object({
  kind: z.string().min(1),
  name: z.string().trim().min(1).max(120),
  settings: z.record(z.string(), z.unknown()).default({}),
  brandId: z.number().int().positive().nullable().default(null),
  enabled: z.boolean().default(true),
});

export const sourceChanges = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  brandId: z.number().int().positive().nullable().optional(),
  enabled: z.boolean().optional(),
});

/** A source as the API shows it: secrets masked. */
export type SourceView = repo.SourceRecord & { settings: Record<string, unknown> };

export function toSourceView(s: repo.SourceRecord): SourceView {
  return { ...s, settings: maskSecrets(s.kind, s.settings) };
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError('The source is not valid', Object.fromEntries(r.error.issues.map((i) => [i.path.join('.') || 'body', i.message])));
}

async function checkBrand(ctx: AppContext, workspaceId: number, brandId: number | null | undefined): Promise<void> {
  if (brandId == null) return;
  try {
    await getBrandById(ctx.db.kysely, workspaceId, brandId);
  } catch {
    throw new ValidationError(`brand ${brandId} does not exist in this workspace`, { brandId: 'unknown brand' });
  }
}

/** Creates a source; the full settings (including a generated webhook secret) are returned this once. */
export async function createSource(ctx: AppContext, workspaceId: number, input: unknown): Promise<repo.SourceRecord> {
  const s = parse(sourceInput, input);
  const kind = getSourceKind(s.kind);
  const settings = validateSettings(kind, s.settings);
  await checkBrand(ctx, workspaceId, s.brandId);
  // Secrets are sealed on the way into the database; the repository opens them on the way out.
  return repo.insertSource(ctx.db.kysely, workspaceId, { kind: kind.kind, name: s.name, settings: sealSecrets(settings, kind.secrets), brandId: s.brandId, enabled: s.enabled }, ctx.clock.now());
}

export async function updateSource(ctx: AppContext, workspaceId: number, id: number, input: unknown): Promise<repo.SourceRecord> {
  const c = parse(sourceChanges, input);
  const current = await repo.getSourceById(ctx.db.kysely, workspaceId, id);
  const kind = getSourceKind(current.kind);
  // Masked secrets sent back unchanged by a form keep the stored value.
  const merged = c.settings ? { ...current.settings, ...unmasked(c.settings, current.settings, kind.secrets) } : undefined;
  await checkBrand(ctx, workspaceId, c.brandId);
  return repo.updateSource(ctx.db.kysely, workspaceId, id, { ...c, ...(merged ? { settings: sealSecrets(validateSettings(kind, merged), kind.secrets) } : {}) }, ctx.clock.now());
}

function unmasked(next: Record<string, unknown>, current: Record<string, unknown>, secrets: string[]): Record<string, unknown> {
  const out = { ...next };
  for (const key of secrets) if (typeof out[key] === 'string' && String(out[key]).includes('…')) out[key] = current[key];
  return out;
}

/** Makes the source due now; the scheduler picks it up within a second. */
export async function fetchSourceNow(ctx: AppContext, workspaceId: number, id: number): Promise<repo.SourceRecord> {
  await repo.getSourceById(ctx.db.kysely, workspaceId, id);
  await repo.scheduleSource(ctx.db.kysely, id, ctx.clock.now());
  return repo.getSourceById(ctx.db.kysely, workspaceId, id);
}
