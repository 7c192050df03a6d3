/** Sign-in, users, API tokens and the audit log. Handlers parse, call one service and respond. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { AppError, UnauthorizedError } from '../lib/errors.ts';
import { listAudit } from './audit.repository.ts';
import { SESSION_COOKIE } from './auth-gate.ts';
import { readCookie, sessionCookie } from './auth.hook.ts';
import { canReadAudit, ensure, type Principal } from './permissions.ts';
import { changeUser, createApiToken, createUser, login, loginInput, logout, newUserInput, revokeApiToken, setupFirstAdmin, userChanges } from './account.service.ts';
import { getUserById, listApiTokens, listUsers } from './user.repository.ts';

const tags = ['accounts'];
const idParam = z.object({ id: z.coerce.number().int().positive() });
const auditQuery = z.object({
  workspaceId: z.coerce.number().int().optional(),
  userId: z.coerce.number().int().optional(),
  action: z.string().trim().max(200).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  before: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

function who(p: Principal | null): Principal {
  if (!p) throw new UnauthorizedError('Sign in first');
  return p;
}

export function accountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const open = { public: true };
    const self = { selfAuthorized: true };
    app.get('/api/auth/me', { config: open, schema: { tags, summary: 'The signed-in user, the CSRF token for writes, and whether sign-in is required' } }, async (req) => {
      const p = req.principal;
      const user = p?.userId ? await getUserById(ctx.db.kysely, p.userId) : null;
      return { user, authRequired: await ctx.auth.required(ctx.clock.now()), mode: ctx.config.auth.mode, csrfToken: p?.csrfToken ?? null, via: p?.kind ?? null };
    });
    app.post('/api/auth/setup', { config: open, schema: { tags, summary: 'Create the first admin (only while no user exists)', body: newUserInput } }, async (req, reply) => reply.status(201).send(await setupFirstAdmin(ctx, req.body, req.ip)));
    app.post('/api/auth/login', { config: open, schema: { tags, summary: 'Sign in with e-mail and password; sets the session cookie', body: loginInput } }, async (req, reply) => {
      try {
        const s = await login(ctx, req.body, req.ip);
        reply.header('set-cookie', sessionCookie(ctx, req, s.sessionToken, Math.floor(ctx.config.auth.sessionTtlMs / 1000)));
        return { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
      } catch (err) {
        const retry = (err as { retryAfterSeconds?: number }).retryAfterSeconds;
        if (err instanceof AppError && retry) reply.header('retry-after', String(retry));
        throw err;
      }
    });
    app.post('/api/auth/logout', { config: self, schema: { tags, summary: 'End the session' } }, async (req, reply) => {
      const token = readCookie(req, SESSION_COOKIE);
      if (token) await logout(ctx, token, who(req.principal), req.ip);
      reply.header('set-cookie', sessionCookie(ctx, req, '', 0));
      return reply.status(204).send();
    });
    app.get('/api/users', { schema: { tags, summary: 'Users (for assignment and the team list)' } }, async () => ({ items: await listUsers(ctx.db.kysely) }));
    app.post('/api/users', { config: self, schema: { tags, summary: 'Add a user (admins)', body: newUserInput } }, async (req, reply) => reply.status(201).send(await createUser(ctx, who(req.principal), req.body)));
    app.patch('/api/users/:id', { config: self, schema: { tags, summary: 'Change a user (admins; anyone their own name, password, availability)', params: idParam, body: userChanges } }, async (req) => changeUser(ctx, who(req.principal), req.params.id, req.body));
    app.get('/api/tokens', { schema: { tags, summary: 'API tokens (yours; admins: all)' } }, async (req) => {
      const p = who(req.principal);
      return { items: await listApiTokens(ctx.db.kysely, p.role === 'admin' ? null : p.userId) };
    });
    app.post('/api/tokens', { config: self, schema: { tags, summary: 'Create an API token; the token is shown once', body: z.object({ name: z.string().trim().min(1).max(120), userId: z.number().int().positive().optional() }) } }, async (req, reply) => {
      const p = who(req.principal);
      return reply.status(201).send(await createApiToken(ctx, p, req.body.userId ?? p.userId ?? 0, req.body.name));
    });
    app.delete('/api/tokens/:id', { config: self, schema: { tags, summary: 'Revoke an API token', params: idParam } }, async (req, reply) => {
      await revokeApiToken(ctx, who(req.principal), req.params.id);
      return reply.status(204).send();
    });
    app.get('/api/audit', { schema: { tags, summary: 'Audit log, newest first (admins); filter by workspace, user, action text, time (from inclusive, to exclusive, epoch ms); page with before=<id>', querystring: auditQuery } }, async (req) => {
      ensure(canReadAudit(who(req.principal)), 'read the audit log');
      const { limit, before, ...filter } = req.query;
      const defined = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== ''));
      return { items: await listAudit(ctx.db.kysely, { ...defined, ...(before !== undefined ? { beforeId: before } : {}) }, limit) };
    });
  };
}
