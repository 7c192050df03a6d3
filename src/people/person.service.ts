/**
 * One customer across channels. Every author that writes about a tracked brand gets a person: the person of
 * another author with the same e-mail address (any channel whose handle is an address: e-mail, web forms,
 * reviews with a contact), else a new one. Agents merge people and split identities off by hand.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Database } from '../db/schema.ts';
import { ValidationError } from '../lib/errors.ts';
import { canMergePeople, ensure, type Principal } from '../accounts/permissions.ts';
import type { Mention, MentionAuthor } from '../mentions/mention.ts';
import { getMentionsByIds } from '../inbox/mention-lookup.repository.ts';
import { listCaseOpeningsOfPerson, type Case } from '../inbox/case.repository.ts';
import { churnRisk, repeatComplainer, type ChurnRisk } from './churn-risk.ts';
import * as repo from './person.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The identity key that links authors across channels: their e-mail address, when the handle is one. */
export function identityKey(handle: string): string | null {
  const h = handle.trim().toLowerCase().replace(/^mailto:/, '');
  return EMAIL.test(h) ? `email:${h}` : null;
}

/**
 * The person of `author`, linking or creating one. Runs in the caller's transaction.
 * `unlinked: true` says the caller has just checked that the author has no person (skips that lookup).
 * @returns the person and whether it was created just now (a new person has no cases yet).
 */
export async function personForAuthor(db: Db, workspaceId: number, author: MentionAuthor, now: number, unlinked = false): Promise<{ personId: number; created: boolean }> {
  const known = unlinked ? undefined : await repo.findPersonIdOfAuthor(db, author.id);
  if (known !== undefined) return { personId: known, created: false };
  const key = identityKey(author.handle);
  const byKey = key ? await repo.findPersonIdByKey(db, workspaceId, key) : undefined;
  const personId = byKey ?? (await repo.insertPerson(db, workspaceId, author.name || author.handle, now));
  await repo.linkAuthor(db, { authorId: author.id, personId, workspaceId, key, link: byKey !== undefined ? 'auto-email' : 'auto-new' }, now);
  return { personId, created: byKey === undefined };
}

export async function mergePeople(ctx: AppContext, p: Principal, workspaceId: number, intoId: number, fromId: number): Promise<repo.Person> {
  ensure(canMergePeople(p), 'merge people');
  if (intoId === fromId) throw new ValidationError('Pick two different people', { from: 'same as into' });
  await repo.getPerson(ctx.db.kysely, workspaceId, intoId);
  await repo.getPerson(ctx.db.kysely, workspaceId, fromId);
  await ctx.db.kysely.transaction().execute((trx) => repo.mergePeopleRows(trx, fromId, intoId, ctx.clock.now()));
  return repo.getPerson(ctx.db.kysely, workspaceId, intoId);
}

/** Splits one identity off into a new person (with the cases only that identity wrote in). */
export async function splitIdentity(ctx: AppContext, p: Principal, workspaceId: number, personId: number, authorId: number): Promise<repo.Person> {
  ensure(canMergePeople(p), 'split people');
  const person = await repo.getPerson(ctx.db.kysely, workspaceId, personId);
  const identity = person.identities.find((i) => i.authorId === authorId);
  if (!identity) throw new ValidationError(`Author ${authorId} is not an identity of person ${personId}`, { authorId: 'not linked to this person' });
  if (person.identities.length < 2) throw new ValidationError('A person with one identity cannot be split', { authorId: 'only identity' });
  const now = ctx.clock.now();
  const newId = await ctx.db.kysely.transaction().execute(async (trx) => {
    const id = await repo.insertPerson(trx, workspaceId, identity.name || identity.handle, now);
    await repo.moveAuthor(trx, authorId, personId, id, now);
    return id;
  });
  return repo.getPerson(ctx.db.kysely, workspaceId, newId);
}

export interface PersonProfile extends repo.Person {
  cases: Case[];
  mentions: Mention[];
  /** e.g. "3rd complaint in 21 days"; null when not a repeat complainer. */
  repeatComplainer: string | null;
  churnRisk: ChurnRisk;
}

/** The person with their identities, cases, recent mentions (timeline) and risk flags. */
export async function getPersonProfile(ctx: AppContext, workspaceId: number, id: number): Promise<PersonProfile> {
  const person = await repo.getPerson(ctx.db.kysely, workspaceId, id);
  const cases = await listCaseOpeningsOfPerson(ctx.db.kysely, id);
  const mentions = await getMentionsByIds(ctx.db.kysely, workspaceId, await repo.listPersonMentionIds(ctx.db.kysely, id, 200));
  const now = ctx.clock.now();
  const history = { caseOpenedAt: cases.map((c) => c.openedAt), mentions: mentions.map((m) => ({ at: m.publishedAt, sentiment: m.sentiment?.label ?? null, intents: m.intents })) };
  return { ...person, cases, mentions, repeatComplainer: repeatComplainer(history, now), churnRisk: churnRisk(history, now) };
}
