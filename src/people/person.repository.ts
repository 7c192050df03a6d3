/** People (one customer across channels) and the authors linked to them. Only this module touches `people` and `person_authors`. */
import type { AuthorSummary } from '../mentions/mention.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { NotFoundError } from '../lib/errors.ts';
import { parseJson } from '../db/json.ts';
import { inboxDb } from '../inbox/inbox-tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Identity extends AuthorSummary {
  /** How the identity was linked: by e-mail address, by a verified handle or Bluesky DID, as a new person, or by hand. */
  link: 'auto-email' | 'auto-handle' | 'auto-new' | 'manual';
  /** Why an automatic link was made (shown in the UI); null for new people and manual links. */
  linkDetail: LinkDetail | null;
}

/** The evidence behind an automatic link. */
export type LinkDetail =
  | { rule: 'email'; address: string }
  | { rule: 'verified-handle'; channel: string; handle: string; verifiedBy: string | null; evidence: string | null; verifiedAt: number }
  | { rule: 'atproto-did'; did: string };

export interface Person {
  id: number;
  workspaceId: number;
  displayName: string;
  identities: Identity[];
  createdAt: number;
}

export async function findPersonIdOfAuthor(db: Db, authorId: number): Promise<number | undefined> {
  const r = await inboxDb(db).selectFrom('person_authors').select('person_id').where('author_id', '=', authorId).executeTakeFirst();
  return r?.person_id;
}

/** author id → person id for the linked ones among `authorIds`. */
export async function mapPeopleOfAuthors(db: Db, authorIds: number[]): Promise<Map<number, number>> {
  if (!authorIds.length) return new Map();
  const rows = await inboxDb(db).selectFrom('person_authors').select(['author_id', 'person_id']).where('author_id', 'in', authorIds).execute();
  return new Map(rows.map((r) => [r.author_id, r.person_id]));
}

export async function findPersonIdByKey(db: Db, workspaceId: number, key: string): Promise<number | undefined> {
  const r = await inboxDb(db).selectFrom('person_authors').select('person_id').where('workspace_id', '=', workspaceId).where('identity_key', '=', key).orderBy('person_id').executeTakeFirst();
  return r?.person_id;
}

export async function insertPerson(db: Db, workspaceId: number, displayName: string, now: number): Promise<number> {
  const r = await inboxDb(db).insertInto('people').values({ workspace_id: workspaceId, display_name: displayName, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function linkAuthor(db: Db, l: { authorId: number; personId: number; workspaceId: number; key: string | null; link: Identity['link']; detail?: LinkDetail | null }, now: number): Promise<void> {
  const link_detail = l.detail ? JSON.stringify(l.detail) : null;
  await inboxDb(db)
    .insertInto('person_authors')
    .values({ author_id: l.authorId, person_id: l.personId, workspace_id: l.workspaceId, identity_key: l.key, link: l.link, linked_at: now, link_detail })
    .onConflict((oc) => oc.column('author_id').doUpdateSet({ person_id: l.personId, link: l.link, linked_at: now, link_detail }))
    .execute();
}

/** Records why an identity (already linked to its person) is linked. */
export async function setLink(db: Db, authorId: number, link: Identity['link'], detail: LinkDetail | null, now: number): Promise<void> {
  await inboxDb(db).updateTable('person_authors').set({ link, link_detail: detail ? JSON.stringify(detail) : null, linked_at: now }).where('author_id', '=', authorId).execute();
}

export async function countIdentities(db: Db, personId: number): Promise<number> {
  const r = await inboxDb(db).selectFrom('person_authors').select((eb) => eb.fn.countAll<number>().as('n')).where('person_id', '=', personId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function getPerson(db: Db, workspaceId: number, id: number): Promise<Person> {
  const k = inboxDb(db);
  const p = await k.selectFrom('people').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!p) throw new NotFoundError('person', id);
  const ids = await k
    .selectFrom('person_authors as pa')
    .innerJoin('authors as a', 'a.id', 'pa.author_id')
    .select(['a.id', 'a.channel', 'a.handle', 'a.name', 'a.url', 'a.followers', 'pa.link', 'pa.link_detail'])
    .where('pa.person_id', '=', id)
    .orderBy('a.id')
    .execute();
  return { id: p.id, workspaceId: p.workspace_id, displayName: p.display_name, createdAt: p.created_at, identities: ids.map((i) => ({ authorId: i.id, channel: i.channel, handle: i.handle, name: i.name, url: i.url, followers: i.followers, link: i.link, linkDetail: parseJson<LinkDetail | null>(i.link_detail, null) })) };
}

export async function listPeople(db: Db, workspaceId: number, q: string | undefined, limit: number): Promise<{ id: number; displayName: string }[]> {
  let query = inboxDb(db).selectFrom('people').select(['id', 'display_name']).where('workspace_id', '=', workspaceId).orderBy('id', 'desc').limit(limit);
  if (q) query = query.where(sql<boolean>`lower(display_name) like ${`%${q.toLowerCase().replace(/[%_]/g, '')}%`}`);
  return (await query.execute()).map((r) => ({ id: r.id, displayName: r.display_name }));
}

/** Moves every identity and case of `fromId` to `intoId` and deletes `fromId`. */
export async function mergePeopleRows(db: Db, fromId: number, intoId: number, now: number): Promise<void> {
  const k = inboxDb(db);
  await k.updateTable('person_authors').set({ person_id: intoId, link: 'manual', link_detail: null, linked_at: now }).where('person_id', '=', fromId).execute();
  await k.updateTable('cases').set({ person_id: intoId }).where('person_id', '=', fromId).execute();
  await k.updateTable('people').set({ updated_at: now }).where('id', '=', intoId).execute();
  await k.deleteFrom('people').where('id', '=', fromId).execute();
}

/** Moves one identity (and the cases opened by its mentions) from `fromId` to the new person `intoId`. */
export async function moveAuthor(db: Db, authorId: number, fromId: number, intoId: number, now: number): Promise<void> {
  const k = inboxDb(db);
  await k.updateTable('person_authors').set({ person_id: intoId, link: 'manual', link_detail: null, linked_at: now }).where('author_id', '=', authorId).where('person_id', '=', fromId).execute();
  await k
    .updateTable('cases')
    .set({ person_id: intoId })
    .where('person_id', '=', fromId)
    .where((eb) => eb.exists(eb.selectFrom('case_mentions as cm').innerJoin('mentions as m', 'm.id', 'cm.mention_id').select('cm.case_id').whereRef('cm.case_id', '=', 'cases.id').where('m.author_id', '=', authorId)))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('case_mentions as cm').innerJoin('mentions as m', 'm.id', 'cm.mention_id').select('cm.case_id').whereRef('cm.case_id', '=', 'cases.id').where('m.author_id', '!=', authorId))))
    .execute();
}

/** The mentions of all of a person's identities, newest first. */
export async function listPersonMentionIds(db: Db, personId: number, limit: number): Promise<number[]> {
  const rows = await inboxDb(db)
    .selectFrom('mentions as m')
    .innerJoin('person_authors as pa', 'pa.author_id', 'm.author_id')
    .select('m.id')
    .where('pa.person_id', '=', personId)
    .orderBy('m.published_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
