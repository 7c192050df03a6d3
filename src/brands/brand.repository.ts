/** Brands and their queries. Only this module touches the `brands` table. */
import type { Kysely } from 'kysely';
import type { BrandRow, Database } from '../db/schema.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { parseJson } from '../db/json.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';

export type BrandKind = 'own' | 'competitor';

export interface Brand {
  id: number;
  workspaceId: number;
  name: string;
  kind: BrandKind;
  query: string;
  /** ISO 639-1 codes the brand is limited to; empty = every language. */
  languages: string[];
  createdAt: number;
  updatedAt: number;
}

export interface BrandFields {
  name: string;
  kind: BrandKind;
  query: string;
  languages: string[];
}

const toBrand = (r: BrandRow): Brand => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  kind: r.kind,
  query: r.query,
  languages: parseJson<string[]>(r.languages, []),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

async function unique<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`A brand named "${name}" already exists in this workspace`);
    throw err;
  }
}

export async function insertBrand(db: Kysely<Database>, workspaceId: number, f: BrandFields, now: number): Promise<Brand> {
  const row = await unique(f.name, () =>
    db
      .insertInto('brands')
      .values({ workspace_id: workspaceId, name: f.name, kind: f.kind, query: f.query, languages: JSON.stringify(f.languages), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return toBrand(row);
}

/** @throws NotFoundError, ConflictError (name taken). */
export async function updateBrand(db: Kysely<Database>, workspaceId: number, id: number, f: BrandFields, now: number): Promise<Brand> {
  const row = await unique(f.name, () =>
    db
      .updateTable('brands')
      .set({ name: f.name, kind: f.kind, query: f.query, languages: JSON.stringify(f.languages), updated_at: now })
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .returningAll()
      .executeTakeFirst(),
  );
  if (!row) throw new NotFoundError('brand', id);
  return toBrand(row);
}

export async function deleteBrand(db: Kysely<Database>, workspaceId: number, id: number): Promise<void> {
  const r = await db.deleteFrom('brands').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw new NotFoundError('brand', id);
}

export async function listBrands(db: Kysely<Database>, workspaceId: number): Promise<Brand[]> {
  const rows = await db.selectFrom('brands').selectAll().where('workspace_id', '=', workspaceId).orderBy('kind', 'desc').orderBy('name').execute();
  return rows.map(toBrand);
}

/** @throws NotFoundError */
export async function getBrandById(db: Kysely<Database>, workspaceId: number, id: number): Promise<Brand> {
  const row = await db.selectFrom('brands').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) throw new NotFoundError('brand', id);
  return toBrand(row);
}

export async function findBrandByName(db: Kysely<Database>, workspaceId: number, name: string): Promise<Brand | undefined> {
  const row = await db.selectFrom('brands').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
  return row ? toBrand(row) : undefined;
}
