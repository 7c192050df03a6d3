/**
 * Whether sign-in is required right now, and who the caller of a request is.
 *
 * Mode `auto` (the default) keeps the quick start and the existing API open until the first user exists and
 * requires sign-in from then on; `required` always requires it; `off` never does. While the API is open, a
 * warning is logged at start and every request acts as `OPEN_PRINCIPAL`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../lib/logger.ts';
import { LoginLimiter } from './login-limiter.ts';
import { tokenHash } from './password.ts';
import { OPEN_PRINCIPAL, type Principal } from './permissions.ts';
import { countUsers, findSession, findTokenUser } from './user.repository.ts';

/** How long "no user exists yet" is believed before the database is asked again (other processes may add one). */
const NO_USERS_RECHECK_MS = 2_000;
export const SESSION_COOKIE = 'earshot_session';
export const TOKEN_PREFIX = 'esk_';

export class AuthGate {
  readonly limiter: LoginLimiter;
  private usersExist = false;
  private checkedAt = -Infinity;

  constructor(
    private readonly db: Kysely<Database>,
    readonly config: Config['auth'],
    private readonly logger: Logger,
  ) {
    this.limiter = new LoginLimiter({ maxFailures: config.loginMaxFailures, windowMs: config.loginWindowMs });
  }

  /** Logs the open-API warning when sign-in is not (yet) required. */
  async start(now: number): Promise<void> {
    if (await this.required(now)) return;
    this.logger.warn(
      this.config.mode === 'off'
        ? 'AUTH=off: the API and the web UI are open to anyone who can reach this port. Use it on a trusted private network only.'
        : 'No user exists yet: the API is open to anyone who can reach this port. Create the first admin (POST /api/auth/setup or the web UI); sign-in is required from then on.',
    );
  }

  /** True when requests without a session or token must be refused. */
  async required(now: number): Promise<boolean> {
    if (this.config.mode !== 'auto') return this.config.mode === 'required';
    if (this.usersExist) return true;
    if (now - this.checkedAt < NO_USERS_RECHECK_MS) return false;
    this.checkedAt = now;
    this.usersExist = (await countUsers(this.db)) > 0;
    return this.usersExist;
  }

  /** Called when a user is created: sign-in is required at once in this process. */
  noteUserCreated(): void {
    this.usersExist = true;
  }

  /**
   * The caller: an API token (`Authorization: Bearer esk_…`) wins over a session cookie.
   * @returns null when neither identifies an enabled user (OPEN_PRINCIPAL is decided by the hook).
   */
  async identify(authorization: string | undefined, sessionToken: string | undefined, now: number): Promise<Principal | null> {
    const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (bearer) {
      const user = bearer.startsWith(TOKEN_PREFIX) ? await findTokenUser(this.db, tokenHash(bearer), now) : undefined;
      return user ? { kind: 'token', userId: user.id, role: user.role, label: `token (${user.email})` } : null;
    }
    if (!sessionToken) return null;
    const s = await findSession(this.db, tokenHash(sessionToken), now);
    return s ? { kind: 'session', userId: s.user.id, role: s.user.role, label: s.user.email, csrfToken: s.csrfToken } : null;
  }

  open(): Principal {
    return OPEN_PRINCIPAL;
  }
}
