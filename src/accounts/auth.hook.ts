/**
 * The HTTP side of accounts: identifies the caller of every /api request, refuses anonymous calls when
 * sign-in is required, checks CSRF on cookie-authenticated writes, keeps viewers and agents out of the
 * configuration writes, and records every successful write in the audit log.
 *
 * Routes opt out with `config: { public: true }` (sign-in itself, health) or take over authorization with
 * `config: { selfAuthorized: true }` (their service applies a `can<Verb><Thing>` rule).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AppError, UnauthorizedError } from '../lib/errors.ts';
import { insertAudit } from './audit.repository.ts';
import { SESSION_COOKIE } from './auth-gate.ts';
import { safeEqual } from './password.ts';
import { canChangeConfiguration, ensure, type Principal } from './permissions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** No sign-in needed (health, sign-in, signed webhooks). */
    public?: boolean;
    /** The route's service checks permissions itself; the hook only identifies the caller. */
    selfAuthorized?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes of other features that must stay reachable without a session (they authenticate otherwise, or not at all). */
const PUBLIC_PREFIXES = ['/api/health', '/api/ingest/', '/api/openapi.json', '/api/docs'];

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Session cookie attributes: HttpOnly, SameSite=Lax, Path=/, Secure per `AUTH_COOKIE_SECURE`. */
export function sessionCookie(ctx: AppContext, req: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const mode = ctx.config.auth.cookieSecure;
  const https = req.protocol === 'https' || String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() === 'https';
  const secure = mode === 'always' || (mode === 'auto' && https);
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

function isPublic(req: FastifyRequest): boolean {
  return req.routeOptions.config?.public === true || PUBLIC_PREFIXES.some((p) => req.url.startsWith(p));
}

const hostOf = (origin: string): string | null => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

/** Cookie-authenticated writes must echo the session's CSRF token and, when the browser says, come from this origin. */
function checkCsrf(req: FastifyRequest, p: Principal): void {
  const header = req.headers['x-csrf-token'];
  if (typeof header !== 'string' || !p.csrfToken || !safeEqual(header, p.csrfToken)) {
    throw new AppError('forbidden', 'Missing or wrong x-csrf-token header (GET /api/auth/me returns the token)', 403);
  }
  const origin = req.headers.origin;
  if (origin && origin !== 'null' && hostOf(origin) !== req.headers.host) throw new AppError('forbidden', 'Cross-origin write refused', 403);
}

async function identify(ctx: AppContext, req: FastifyRequest): Promise<void> {
  if (!req.url.startsWith('/api/')) return;
  const now = ctx.clock.now();
  const authorization = req.headers.authorization;
  const principal = await ctx.auth.identify(authorization, readCookie(req, SESSION_COOKIE), now);
  if (!principal && authorization?.startsWith('Bearer ') && !isPublic(req)) throw new UnauthorizedError('The API token is not valid (unknown, revoked, or its user is disabled)');
  const required = await ctx.auth.required(now);
  req.principal = principal ?? (required ? null : ctx.auth.open());
  if (isPublic(req)) return;
  if (!req.principal) throw new UnauthorizedError('Sign in first (POST /api/auth/login) or send an API token (Authorization: Bearer …)');
  if (!UNSAFE.has(req.method)) return;
  if (req.principal.kind === 'session') checkCsrf(req, req.principal);
  if (!req.routeOptions.config?.selfAuthorized) ensure(canChangeConfiguration(req.principal), 'change the configuration (admins only)');
}

async function audit(ctx: AppContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const p = req.principal;
  if (!p || !UNSAFE.has(req.method) || reply.statusCode >= 400 || req.routeOptions.config?.public || !req.routeOptions.url) return;
  const params = (req.params ?? {}) as Record<string, unknown>;
  const workspaceId = Number(params.workspaceId);
  try {
    await insertAudit(
      ctx.db.kysely,
      { userId: p.userId, actor: p.label, action: `${req.method} ${req.routeOptions.url}`, workspaceId: Number.isFinite(workspaceId) ? workspaceId : null, subject: Object.keys(params).length ? JSON.stringify(params) : null, detail: { status: reply.statusCode }, ip: req.ip },
      ctx.clock.now(),
    );
  } catch (err) {
    req.log.error({ err }, 'could not write the audit log entry');
  }
}

/** The caller of a route (the hook sets one for every non-public route, or refused the request). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new UnauthorizedError('Sign in first');
  return req.principal;
}

/** Installs the hooks on the root instance (before the feature routes are registered). */
export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => identify(ctx, req));
  app.addHook('onResponse', async (req, reply) => audit(ctx, req, reply));
}
