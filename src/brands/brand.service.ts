/** Brand rules: input validation (including the query syntax, with the error position) and cache upkeep. */
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ValidationError } from '../lib/errors.ts';
import { validateQuery } from './query/query.parser.ts';
import * as repo from './brand.repository.ts';

export const brandInput = z.object({
  name: z.string().trim().min(1).max(120),
  kind: z.enum(['own', 'competitor']).default('own'),
  query: z.string().max(4000),
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'use ISO 639-1 codes such as "de"')).max(50).default([]),
});
export type BrandInput = z.input<typeof brandInput>;

/** @throws ValidationError with `fields.query` = "<message> (position N)" for a syntax error. */
function checkQuery(query: string): void {
  const v = validateQuery(query);
  if (!v.ok) throw Object.assign(new ValidationError(`The query has a syntax error: ${v.message}`, { query: v.message }), { position: v.position });
}

export function parseBrandInput(input: unknown): repo.BrandFields {
  const parsed = brandInput.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message]));
    throw new ValidationError('The brand is not valid', fields);
  }
  checkQuery(parsed.data.query);
  return parsed.data;
}

export async function createBrand(ctx: AppContext, workspaceId: number, input: unknown): Promise<repo.Brand> {
  const brand = await repo.insertBrand(ctx.db.kysely, workspaceId, parseBrandInput(input), ctx.clock.now());
  ctx.brands.invalidate(workspaceId);
  return brand;
}

export async function updateBrand(ctx: AppContext, workspaceId: number, id: number, input: unknown): Promise<repo.Brand> {
  const current = await repo.getBrandById(ctx.db.kysely, workspaceId, id);
  const merged = { name: current.name, kind: current.kind, query: current.query, languages: current.languages, ...(input as object) };
  const brand = await repo.updateBrand(ctx.db.kysely, workspaceId, id, parseBrandInput(merged), ctx.clock.now());
  ctx.brands.invalidate(workspaceId);
  return brand;
}

export async function deleteBrand(ctx: AppContext, workspaceId: number, id: number): Promise<void> {
  await repo.deleteBrand(ctx.db.kysely, workspaceId, id);
  ctx.brands.invalidate(workspaceId);
}
