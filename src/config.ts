/**
 * The only module that reads `process.env`. Everything else receives a `Config` (or part of it).
 *
 * `loadConfig()` parses the environment once into a frozen, typed object with defaults and fails fast
 * with a message that names every bad variable, so a typo in a deployment is caught before anything starts.
 */
import { z } from 'zod';
import { configureSecretKey, parseSecretKey, secretKeySource, type SecretKeySource } from './lib/secret-box.ts';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const networkKinds = ['loopback', 'private', 'linklocal'] as const;
export type PrivateNetworkKind = (typeof networkKinds)[number];

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave it unset to use SQLite)')
      .optional(),
    DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier').optional(),
    DB_PATH: z.string().min(1).default('./data/earshot.db'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    EARSHOT_DEMO: z.enum(['auto', 'off']).default('off'),
    DEMO_SPEED: z.coerce.number().positive().max(1_000_000).default(300),
    FETCH_ALLOW_PRIVATE: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
      .pipe(z.array(z.enum(networkKinds))),
    FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
    FETCH_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
    POLL_INTERVAL_SECONDS: z.coerce.number().int().min(10).default(300),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
    MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
    INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
    IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5_000),
    IMPORT_TRANSACTION_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
    RUN_SOURCES: bool.default(true),
    ENRICH: z.enum(['full', 'language']).default('full'),
    AUTH: z.enum(['auto', 'off', 'required']).default('auto'),
    AUTH_COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto'),
    SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    INBOX_JOBS: bool.default(true),
    INBOX_JOBS_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    INBOX_SETTLE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
    SMTP_HOST: z.string().trim().min(1).max(253).optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    SMTP_SECURE: bool.default(false),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    SMTP_FROM: z.string().min(3).max(320).optional(),
    SECRET_KEY: z.string().refine((v) => parseSecretKey(v) !== null, 'must be 32 bytes as base64 (44 characters) or hex (64 characters), e.g. from `openssl rand -base64 32`').optional(),
    NODE_ENV: z.string().optional(),
  })
  .strict();

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly demo: { readonly mode: 'auto' | 'off'; readonly speed: number };
  readonly fetch: {
    readonly allowPrivate: readonly PrivateNetworkKind[];
    readonly timeoutMs: number;
    readonly maxBytes: number;
  };
  readonly pollIntervalSeconds: number;
  readonly http: { readonly maxBodyBytes: number; readonly maxPageSize: number };
  readonly ingestBatchSize: number;
  /** Records per batch of a file import: prepared (enriched) together, the unit of look-ahead. */
  readonly importBatchSize: number;
  /** Records a file import commits per transaction, over several batches (larger: each commit rewrites fewer index pages per row). */
  readonly importTransactionSize: number;
  /** Run the source scheduler in this process (turn off for API-only processes). */
  readonly runSources: boolean;
  /** Which enrichers run on every mention: all models, or language identification only (fastest). */
  readonly enrich: 'full' | 'language';
  /**
   * Accounts. `auto`: the API is open (with a warning in the log) until the first user exists, then sign-in is
   * required; `required`: always; `off`: never (a trusted private network only). `cookieSecure: auto` marks the
   * session cookie Secure when the request came over https (directly or per X-Forwarded-Proto).
   * See docs/decisions/0005-accounts-and-auth-modes.md.
   */
  readonly auth: {
    readonly mode: 'auto' | 'off' | 'required';
    readonly cookieSecure: 'auto' | 'always' | 'never';
    readonly sessionTtlMs: number;
    readonly loginMaxFailures: number;
    readonly loginWindowMs: number;
  };
  /**
   * Shared-inbox background work (case intake sweep, SLA checks, reply retries): on/off and interval; on PostgreSQL
   * the intake takes mentions `settleMs` after arrival, once every lower id is committed (see intake.service.ts).
   */
  readonly inbox: { readonly jobs: boolean; readonly jobsIntervalMs: number; readonly settleMs: number };
  /** The SMTP server that sends alert e-mails (operator-configured); null: e-mail alert channels are unavailable. */
  readonly smtp: SmtpConfig | null;
  /** Where the key that encrypts source credentials comes from (see lib/secret-box.ts). */
  readonly secrets: SecretKeySource;
}

export interface SmtpConfig {
  readonly host: string;
  /** Default: 465 with `secure`, else 587 (STARTTLS when the server offers it). */
  readonly port: number;
  readonly secure: boolean;
  readonly user: string | null;
  readonly password: string | null;
  /** Sender address of alert e-mails. */
  readonly from: string;
}

/** SMTP settings for alert e-mails, with their combination rules (a host needs a sender; a user needs a password). */
function smtpConfig(e: { SMTP_HOST?: string | undefined; SMTP_PORT?: number | undefined; SMTP_SECURE: boolean; SMTP_USER?: string | undefined; SMTP_PASSWORD?: string | undefined; SMTP_FROM?: string | undefined }): SmtpConfig | null {
  const problems: string[] = [];
  if (e.SMTP_HOST && !e.SMTP_FROM) problems.push('SMTP_FROM: is required when SMTP_HOST is set (the sender of alert e-mails)');
  if (!e.SMTP_HOST && (e.SMTP_FROM || e.SMTP_USER)) problems.push('SMTP_HOST: is required when SMTP_FROM or SMTP_USER is set');
  if (Boolean(e.SMTP_USER) !== Boolean(e.SMTP_PASSWORD)) problems.push('SMTP_USER and SMTP_PASSWORD: set both or neither');
  if (problems.length) throw new ConfigError(problems);
  if (!e.SMTP_HOST || !e.SMTP_FROM) return null;
  return { host: e.SMTP_HOST, port: e.SMTP_PORT ?? (e.SMTP_SECURE ? 465 : 587), secure: e.SMTP_SECURE, user: e.SMTP_USER ?? null, password: e.SMTP_PASSWORD ?? null, from: e.SMTP_FROM };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Only the variables this module knows are read; unknown EARSHOT_* style typos are not guessed at. */
const KNOWN = Object.keys(schema.shape);

/**
 * Parse an environment (by default `process.env`) into a Config.
 * @throws ConfigError listing each variable that is invalid, with the reason.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Record<string, string>> = {}): Config {
  const picked: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const config = Object.freeze({
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, ...(e.DATABASE_SCHEMA ? { schema: e.DATABASE_SCHEMA } : {}) }
      : { kind: 'sqlite', path: e.DB_PATH },
    logLevel: e.LOG_LEVEL,
    demo: { mode: e.EARSHOT_DEMO, speed: e.DEMO_SPEED },
    fetch: { allowPrivate: e.FETCH_ALLOW_PRIVATE, timeoutMs: e.FETCH_TIMEOUT_MS, maxBytes: e.FETCH_MAX_BYTES },
    pollIntervalSeconds: e.POLL_INTERVAL_SECONDS,
    http: { maxBodyBytes: e.MAX_BODY_BYTES, maxPageSize: e.MAX_PAGE_SIZE },
    ingestBatchSize: e.INGEST_BATCH_SIZE,
    importBatchSize: e.IMPORT_BATCH_SIZE,
    importTransactionSize: e.IMPORT_TRANSACTION_SIZE,
    runSources: e.RUN_SOURCES,
    enrich: e.ENRICH,
    auth: {
      mode: e.AUTH,
      cookieSecure: e.AUTH_COOKIE_SECURE,
      sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginWindowMs: e.LOGIN_WINDOW_SECONDS * 1000,
    },
    inbox: { jobs: e.INBOX_JOBS, jobsIntervalMs: e.INBOX_JOBS_SECONDS * 1000, settleMs: e.INBOX_SETTLE_SECONDS * 1000 },
    smtp: smtpConfig(e),
    // NODE_ENV=test from the test runner's process counts even when a test passes its own `env`.
    secrets: secretKeySource(e.SECRET_KEY, e.DATABASE_URL ? null : e.DB_PATH, (e.NODE_ENV ?? process.env.NODE_ENV) === 'test'),
  } satisfies Config);
  configureSecretKey(config.secrets);
  return config;
}
