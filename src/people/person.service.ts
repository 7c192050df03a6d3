/**
 * One customer across channels. Every author that writes about a tracked brand gets a person, linked
 * automatically (see identity-keys.ts) when one of these holds, in this order:
 * 1. the author's handle on its channel is a **verified handle** of a person (an agent verified it: `person_handles`);
 * 2. the handle is an **e-mail address** another identity of a person has;
 * 3. it is a **Bluesky account** (DID) another identity of a person has;
 * else a new person. Each automatic link records why (`linkDetail`). Agents verify handles, merge and split.
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
import { atprotoKey, emailKey, handleKey } from './identity-keys.ts';
import { findVerifiedHandle, listVerifiedHandles, moveVerifiedHandles, type VerifiedHandle } from './person-handle.repository.ts';
import * as repo from './person.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The e-mail identity key of a handle (kept for callers of the first version). */
export const identityKey = emailKey;

/** Where the author wrote: its channel, and the mention's extra fields (Bluesky DID). */
export interface AuthorContext {
  channel: string;
  extra: Record<string, unknown>;
}

interface Match {
  personId: number | undefined;
  key: string | null;
  link: repo.Identity['link'];
  detail: repo.LinkDetail | null;
}

export function handleDetail(h: VerifiedHandle): repo.LinkDetail {
  return { rule: 'verified-handle', channel: h.channel, handle: h.handle, verifiedBy: h.verifiedBy?.name ?? null, evidence: h.evidence, verifiedAt: h.createdAt };
}

async function matchAuthor(db: Db, workspaceId: number, author: MentionAuthor, where: AuthorContext | undefined): Promise<Match> {
  const verified = where ? await findVerifiedHandle(db, workspaceId, handleKey(where.channel, author.handle)) : undefined;
  if (verified) return { personId: verified.personId, key: verified.key, link: 'auto-handle', detail: handleDetail(verified) };
  const email = emailKey(author.handle);
  const byEmail = email ? await repo.findPersonIdByKey(db, workspaceId, email) : undefined;
  if (byEmail !== undefined) return { personId: byEmail, key: email, link: 'auto-email', detail: { rule: 'email', address: email!.slice('email:'.length) } };
  const did = where ? atprotoKey(where.channel, author.handle, where.extra) : null;
  const byDid = did ? await repo.findPersonIdByKey(db, workspaceId, did) : undefined;
  if (byDid !== undefined) return { personId: byDid, key: did, link: 'auto-handle', detail: { rule: 'atproto-did', did: did!.slice('atproto:'.length) } };
  return { personId: undefined, key: email ?? did, link: 'auto-new', detail: null };
}

/**
 * The person of `author`, linking or creating one. Runs in the caller's transaction.
 * `unlinked: true` says the caller has just checked that the author has no person (skips that lookup).
 * @returns the person and whether it was created just now (a new person has no cases yet).
 */
export async function personForAuthor(db: Db, workspaceId: number, author: MentionAuthor, now: number, unlinked = false, where?: AuthorContext): Promise<{ personId: number; created: boolean }> {
  const known = unlinked ? undefined : await repo.findPersonIdOfAuthor(db, author.id);
  if (known !== undefined) return { personId: known, created: false };
  const m = await matchAuthor(db, workspaceId, author, where);
  const personId = m.personId ?? (await repo.insertPerson(db, workspaceId, author.name || author.handle, now));
  await repo.linkAuthor(db, { authorId: author.id, personId, workspaceId, key: m.key, link: m.link, detail: m.detail }, now);
  return { personId, created: m.personId === undefined };
}

export async function mergePeople(ctx: AppContext, p: Principal, workspaceId: number, intoId: number, fromId: number): Promise<repo.Person> {
  ensure(canMergePeople(p), 'merge people');
  if (intoId === fromId) throw new ValidationError('Pick two different people', { from: 'same as into' });
  await repo.getPerson(ctx.db.kysely, workspaceId, intoId);
  await repo.getPerson(ctx.db.kysely, workspaceId, fromId);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await moveVerifiedHandles(trx, fromId, intoId);
    await repo.mergePeopleRows(trx, fromId, intoId, ctx.clock.now());
  });
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
  /** Handles verified as this person's: new mentions from them join the person automatically. */
  handles: VerifiedHandle[];
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
  const handles = await listVerifiedHandles(ctx.db.kysely, id);
  return { ...person, handles, cases, mentions, repeatComplainer: repeatComplainer(history, now), churnRisk: churnRisk(history, now) };
}
