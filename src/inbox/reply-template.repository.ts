/** Saved replies (templates). Only this module touches `reply_templates`. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { parseJson } from '../db/json.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import { inboxDb } from './inbox-tables.ts';
import type { ReplyTemplate, TemplateInput } from './reply-template.ts';

type Db = Kysely<Database>;
const toTemplate = (r: { id: number; name: string; variants: string; updated_at: number }): ReplyTemplate => ({ id: r.id, name: r.name, variants: parseJson(r.variants, {}), updatedAt: r.updated_at });

async function unique<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`A saved reply named "${name}" exists already`);
    throw err;
  }
}

export async function insertTemplate(db: Db, workspaceId: number, t: TemplateInput, now: number): Promise<ReplyTemplate> {
  return toTemplate(await unique(t.name, () => inboxDb(db).insertInto('reply_templates').values({ workspace_id: workspaceId, name: t.name, variants: JSON.stringify(t.variants), created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow()));
}

export async function updateTemplate(db: Db, workspaceId: number, id: number, t: TemplateInput, now: number): Promise<ReplyTemplate> {
  const r = await unique(t.name, () => inboxDb(db).updateTable('reply_templates').set({ name: t.name, variants: JSON.stringify(t.variants), updated_at: now }).where('id', '=', id).where('workspace_id', '=', workspaceId).returningAll().executeTakeFirst());
  if (!r) throw new NotFoundError('saved reply', id);
  return toTemplate(r);
}

export async function deleteTemplate(db: Db, workspaceId: number, id: number): Promise<void> {
  const r = await inboxDb(db).deleteFrom('reply_templates').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw new NotFoundError('saved reply', id);
}

export async function listTemplates(db: Db, workspaceId: number): Promise<ReplyTemplate[]> {
  return (await inboxDb(db).selectFrom('reply_templates').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute()).map(toTemplate);
}

export async function getTemplate(db: Db, workspaceId: number, id: number): Promise<ReplyTemplate> {
  const r = await inboxDb(db).selectFrom('reply_templates').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!r) throw new NotFoundError('saved reply', id);
  return toTemplate(r);
}
