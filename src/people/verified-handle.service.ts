/**
 * Verified handles: an agent states that a handle on a channel is a person's (the customer wrote it in an
 * e-mail, the profile links back, the customer confirmed it). From then on a new author with that handle
 * joins the person automatically (person.service.ts, rule 1); an author with that handle seen already is
 * moved to the person now (its old person is merged in when this was its only identity).
 */
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { canMergePeople, ensure, type Principal } from '../accounts/permissions.ts';
import { handleKey, normalizeHandle } from './identity-keys.ts';
import * as handles from './person-handle.repository.ts';
import * as repo from './person.repository.ts';
import { getPersonProfile, handleDetail, type PersonProfile } from './person.service.ts';

export const verifyHandleInput = z.object({
  /** The channel as mentions show it: mastodon, bluesky, reddit, email, googleplay… */
  channel: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a channel name such as mastodon or bluesky'),
  /** As the channel shows it: user@instance on Mastodon, the handle (or DID) on Bluesky, the user name on Reddit. */
  handle: z.string().trim().min(1).max(320),
  /** How the agent knows, shown wherever the link is explained. */
  evidence: z.string().trim().max(1000).optional(),
});
export type VerifyHandleInput = z.output<typeof verifyHandleInput>;

/** @throws ConflictError when the handle is verified for a person already; NotFoundError for an unknown person. */
export async function verifyHandle(ctx: AppContext, p: Principal, workspaceId: number, personId: number, input: VerifyHandleInput): Promise<PersonProfile> {
  ensure(canMergePeople(p), 'verify handles of people');
  await repo.getPerson(ctx.db.kysely, workspaceId, personId);
  const handle = normalizeHandle(input.channel, input.handle);
  const key = handleKey(input.channel, handle);
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await handles.insertVerifiedHandle(trx, { workspaceId, personId, channel: input.channel, handle, key, verifiedBy: p.userId, evidence: input.evidence || null }, now);
    const detail = handleDetail((await handles.findVerifiedHandle(trx, workspaceId, key))!);
    for (const authorId of await handles.findAuthorIdsByHandle(trx, workspaceId, input.channel, handle)) {
      const current = await repo.findPersonIdOfAuthor(trx, authorId);
      if (current === undefined) continue; // never wrote about a tracked brand: linked when it does
      if (current !== personId) {
        if ((await repo.countIdentities(trx, current)) === 1) {
          await handles.moveVerifiedHandles(trx, current, personId);
          await repo.mergePeopleRows(trx, current, personId, now);
        }
        else await repo.moveAuthor(trx, authorId, current, personId, now);
      }
      await repo.setLink(trx, authorId, 'auto-handle', detail, now);
    }
  });
  return getPersonProfile(ctx, workspaceId, personId);
}

/** Forgets a verified handle: later authors with it are no longer linked by it (links made stay; split them by hand). */
export async function unverifyHandle(ctx: AppContext, p: Principal, workspaceId: number, personId: number, handleId: number): Promise<PersonProfile> {
  ensure(canMergePeople(p), 'verify handles of people');
  await repo.getPerson(ctx.db.kysely, workspaceId, personId);
  await handles.deleteVerifiedHandle(ctx.db.kysely, personId, handleId);
  return getPersonProfile(ctx, workspaceId, personId);
}
