/** Account rules: first-admin setup, sign-in (rate limited, audited), users, API tokens. */
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError, ConflictError, UnauthorizedError } from '../lib/errors.ts';
import { insertAudit } from './audit.repository.ts';
import { TOKEN_PREFIX } from './auth-gate.ts';
import { hashPassword, randomToken, tokenHash, verifyPassword } from './password.ts';
import { canManageTokensOf, canManageUsers, ensure, type Principal } from './permissions.ts';
import * as repo from './user.repository.ts';

export const roleSchema = z.enum(['admin', 'agent', 'viewer']);
const password = z.string().min(10, 'use at least 10 characters').max(1024);
export const newUserInput = z.object({
  email: z.email().max(320).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  role: roleSchema.default('agent'),
  password,
});
export const userChanges = z.object({ name: z.string().trim().min(1).max(200).optional(), role: roleSchema.optional(), available: z.boolean().optional(), disabled: z.boolean().optional(), password: password.optional() });
export const loginInput = z.object({ email: z.string().max(320).transform((e) => e.trim().toLowerCase()), password: z.string().max(1024) });

export interface SignedIn {
  user: repo.User;
  /** The session token (goes into the cookie, never into a response body). */
  sessionToken: string;
  csrfToken: string;
  expiresAt: number;
}

/** Creates the first admin; only while no user exists. @throws ConflictError once a user exists. */
export async function setupFirstAdmin(ctx: AppContext, input: z.output<typeof newUserInput>, ip: string): Promise<repo.User> {
  if ((await repo.countUsers(ctx.db.kysely)) > 0) throw new ConflictError('Setup is done: a user exists already. Sign in and add users as an admin.');
  const user = await repo.insertUser(ctx.db.kysely, { ...input, role: 'admin', passwordHash: await hashPassword(input.password) }, ctx.clock.now());
  ctx.auth.noteUserCreated();
  await insertAudit(ctx.db.kysely, { userId: user.id, actor: user.email, action: 'setup.first_admin', workspaceId: null, subject: `user:${user.id}`, detail: null, ip }, ctx.clock.now());
  return user;
}

/**
 * Checks the password and opens a session.
 * @throws AppError `rate_limited` (429) after too many failures for this IP and address (even with the right
 *   password); UnauthorizedError for a wrong address or password (one message for both).
 */
export async function login(ctx: AppContext, input: z.output<typeof loginInput>, ip: string): Promise<SignedIn> {
  const now = ctx.clock.now();
  const wait = ctx.auth.limiter.retryAfter(ip, input.email, now);
  const audit = (action: string, userId: number | null) => insertAudit(ctx.db.kysely, { userId, actor: input.email, action, workspaceId: null, subject: null, detail: null, ip }, now);
  if (wait > 0) {
    await audit('login.rate_limited', null);
    throw Object.assign(new AppError('rate_limited', `Too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`, 429), { retryAfterSeconds: Math.ceil(wait / 1000) });
  }
  const found = await repo.findLogin(ctx.db.kysely, input.email);
  const ok = await verifyPassword(found?.passwordHash ?? null, input.password);
  if (!ok || !found || found.user.disabled) {
    ctx.auth.limiter.recordFailure(ip, input.email, now);
    await audit('login.failure', found?.user.id ?? null);
    throw new UnauthorizedError('The e-mail address or the password is wrong');
  }
  ctx.auth.limiter.recordSuccess(ip, input.email);
  const sessionToken = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = now + ctx.config.auth.sessionTtlMs;
  await repo.deleteExpiredSessions(ctx.db.kysely, now);
  await repo.insertSession(ctx.db.kysely, { tokenHash: tokenHash(sessionToken), userId: found.user.id, csrfToken, expiresAt }, now);
  await audit('login.success', found.user.id);
  return { user: found.user, sessionToken, csrfToken, expiresAt };
}

export async function logout(ctx: AppContext, sessionToken: string, p: Principal, ip: string): Promise<void> {
  await repo.deleteSession(ctx.db.kysely, tokenHash(sessionToken));
  await insertAudit(ctx.db.kysely, { userId: p.userId, actor: p.label, action: 'logout', workspaceId: null, subject: null, detail: null, ip }, ctx.clock.now());
}

export async function createUser(ctx: AppContext, p: Principal, input: z.output<typeof newUserInput>): Promise<repo.User> {
  ensure(canManageUsers(p), 'add users');
  const user = await repo.insertUser(ctx.db.kysely, { ...input, passwordHash: await hashPassword(input.password) }, ctx.clock.now());
  ctx.auth.noteUserCreated();
  return user;
}

/** Admins change anyone; everybody may change their own name, password and availability (not their role). */
export async function changeUser(ctx: AppContext, p: Principal, id: number, c: z.output<typeof userChanges>): Promise<repo.User> {
  const self = p.userId === id && c.role === undefined && c.disabled === undefined;
  ensure(canManageUsers(p) || self, 'change other users or roles');
  await keepAnAdmin(ctx, id, c);
  const { password: pw, ...rest } = c;
  const user = await repo.updateUser(ctx.db.kysely, id, { ...rest, ...(pw ? { passwordHash: await hashPassword(pw) } : {}) }, ctx.clock.now());
  if (c.disabled || pw) await repo.deleteSessionsOf(ctx.db.kysely, id);
  return user;
}

/** @throws ConflictError when the change would leave no active admin (nobody could manage users any more). */
async function keepAnAdmin(ctx: AppContext, id: number, c: z.output<typeof userChanges>): Promise<void> {
  if (!c.disabled && (c.role === undefined || c.role === 'admin')) return;
  const admins = (await repo.listUsers(ctx.db.kysely)).filter((u) => u.role === 'admin' && !u.disabled);
  if (admins.length === 1 && admins[0]!.id === id) throw new ConflictError('This is the last active admin: make another user admin first');
}

/** @returns the token once (only its hash is stored) with its record. */
export async function createApiToken(ctx: AppContext, p: Principal, userId: number, name: string): Promise<{ token: string; record: repo.ApiToken }> {
  ensure(p.userId !== null && canManageTokensOf(p, userId), 'create tokens for other users');
  await repo.getUserById(ctx.db.kysely, userId);
  const prefix = randomToken(6);
  const token = `${TOKEN_PREFIX}${prefix}_${randomToken()}`;
  const record = await repo.insertApiToken(ctx.db.kysely, { userId, name, tokenHash: tokenHash(token), prefix }, ctx.clock.now());
  return { token, record };
}

export async function revokeApiToken(ctx: AppContext, p: Principal, id: number): Promise<void> {
  const t = await repo.getApiToken(ctx.db.kysely, id);
  ensure(canManageTokensOf(p, t.userId), "revoke other users' tokens");
  await repo.revokeApiToken(ctx.db.kysely, id, ctx.clock.now());
}
