/** Users, sessions and API tokens. Only this module touches those tables. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import { inboxDb, type Role, type UserRow } from '../inbox/inbox-tables.ts';

type Db = Kysely<Database>;

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  available: boolean;
  disabled: boolean;
  createdAt: number;
}

export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, name: r.name, role: r.role, available: r.available === 1, disabled: r.disabled === 1, createdAt: r.created_at });

export async function countUsers(db: Db): Promise<number> {
  const r = await inboxDb(db).selectFrom('users').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** @throws ConflictError when the e-mail address is taken. */
export async function insertUser(db: Db, u: { email: string; name: string; role: Role; passwordHash: string }, now: number): Promise<User> {
  try {
    const row = await inboxDb(db)
      .insertInto('users')
      .values({ email: u.email, name: u.name, role: u.role, password_hash: u.passwordHash, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`A user with the e-mail address ${u.email} already exists`);
    throw err;
  }
}

export async function updateUser(db: Db, id: number, c: { name?: string; role?: Role; available?: boolean; disabled?: boolean; passwordHash?: string }, now: number): Promise<User> {
  const row = await inboxDb(db)
    .updateTable('users')
    .set({
      updated_at: now,
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.role !== undefined ? { role: c.role } : {}),
      ...(c.available !== undefined ? { available: c.available ? 1 : 0 } : {}),
      ...(c.disabled !== undefined ? { disabled: c.disabled ? 1 : 0 } : {}),
      ...(c.passwordHash !== undefined ? { password_hash: c.passwordHash } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('user', id);
  return toUser(row);
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await inboxDb(db).selectFrom('users').selectAll().orderBy('id').execute()).map(toUser);
}

export async function getUserById(db: Db, id: number): Promise<User> {
  const row = await inboxDb(db).selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('user', id);
  return toUser(row);
}

/** The user and its password hash, for login; undefined when no such e-mail address. */
export async function findLogin(db: Db, email: string): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await inboxDb(db).selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
}

export async function insertSession(db: Db, s: { tokenHash: string; userId: number; csrfToken: string; expiresAt: number }, now: number): Promise<void> {
  await inboxDb(db).insertInto('sessions').values({ token_hash: s.tokenHash, user_id: s.userId, csrf_token: s.csrfToken, created_at: now, expires_at: s.expiresAt }).execute();
}

/** The live session's user (enabled) and CSRF token, or undefined. */
export async function findSession(db: Db, tokenHash: string, now: number): Promise<{ user: User; csrfToken: string } | undefined> {
  const row = await inboxDb(db)
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.csrf_token')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  return row ? { user: toUser(row), csrfToken: row.csrf_token } : undefined;
}

/** Removes sessions that expired before `now` (called at sign-in, so the table does not grow without bound). */
export async function deleteExpiredSessions(db: Db, now: number): Promise<void> {
  await inboxDb(db).deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await inboxDb(db).deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteSessionsOf(db: Db, userId: number): Promise<void> {
  await inboxDb(db).deleteFrom('sessions').where('user_id', '=', userId).execute();
}

const toToken = (r: { id: number; user_id: number; name: string; prefix: string; created_at: number; last_used_at: number | null; revoked_at: number | null }): ApiToken => ({
  id: r.id, userId: r.user_id, name: r.name, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
});

export async function insertApiToken(db: Db, t: { userId: number; name: string; tokenHash: string; prefix: string }, now: number): Promise<ApiToken> {
  const row = await inboxDb(db)
    .insertInto('api_tokens')
    .values({ user_id: t.userId, name: t.name, token_hash: t.tokenHash, prefix: t.prefix, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toToken(row);
}

export async function listApiTokens(db: Db, userId: number | null): Promise<ApiToken[]> {
  let q = inboxDb(db).selectFrom('api_tokens').selectAll().orderBy('id');
  if (userId !== null) q = q.where('user_id', '=', userId);
  return (await q.execute()).map(toToken);
}

export async function getApiToken(db: Db, id: number): Promise<ApiToken> {
  const row = await inboxDb(db).selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('API token', id);
  return toToken(row);
}

export async function revokeApiToken(db: Db, id: number, now: number): Promise<void> {
  await inboxDb(db).updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** The owner of a live (not revoked) token whose hash is given; marks the token used. */
export async function findTokenUser(db: Db, tokenHash: string, now: number): Promise<User | undefined> {
  const k = inboxDb(db);
  const row = await k
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select('api_tokens.id as token_id')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  if (!row) return undefined;
  await k.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  return toUser(row);
}

/** Available, enabled agents, the one assigned longest ago first: round-robin order (admins are assigned only by hand). */
export async function listAssignableAgents(db: Db): Promise<User[]> {
  const rows = await inboxDb(db)
    .selectFrom('users')
    .selectAll()
    .where('role', '=', 'agent')
    .where('available', '=', 1)
    .where('disabled', '=', 0)
    .orderBy('last_assigned_at')
    .orderBy('id')
    .execute();
  return rows.map(toUser);
}

/** Moves `userId` to the back of the round-robin queue. */
export async function markAssigned(db: Db, userId: number, now: number): Promise<void> {
  await inboxDb(db).updateTable('users').set({ last_assigned_at: now }).where('id', '=', userId).execute();
}
