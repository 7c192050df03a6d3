/**
 * Credentials at rest: AES-256-GCM with a key from config (`SECRET_KEY`), so that a copied database file or
 * backup does not hand out every connector's tokens and passwords.
 *
 * A sealed value is the string `enc:v1:<base64url(iv ‖ tag ‖ ciphertext)>`; the setting's name is bound in
 * as associated data, so a sealed value cannot be moved to another field. Values without the prefix are
 * read as they are (rows written before encryption keep working and are sealed on their next save).
 *
 * Where the key comes from (`secretKeySource`):
 * - `SECRET_KEY` (32 bytes, base64 or hex) — required with PostgreSQL;
 * - otherwise, with SQLite, a key file `secret.key` next to the database, created on the first save of a
 *   secret (the quick start needs no setup; back the file up with the database, and keep it out of copies
 *   you share);
 * - with an in-memory database or under NODE_ENV=test, a random key for the life of the process.
 *
 * The key is registered once per process by `loadConfig` (`configureSecretKey`), because sources are read
 * by the repository on paths (the scheduler) that carry no config.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.ts';

export type SecretKeySource =
  | { readonly kind: 'key'; readonly key: Buffer }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'ephemeral' }
  | { readonly kind: 'none' };

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** 32 bytes from 64 hex characters or base64/base64url; null when the text is neither. */
export function parseSecretKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t, 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

/** See the module comment for the order of precedence. `sqlitePath` is null for PostgreSQL. */
export function secretKeySource(secretKey: string | undefined, sqlitePath: string | null, test: boolean): SecretKeySource {
  const key = secretKey ? parseSecretKey(secretKey) : null;
  if (key) return { kind: 'key', key };
  if (test || sqlitePath === ':memory:') return { kind: 'ephemeral' };
  if (sqlitePath) return { kind: 'file', path: path.join(path.dirname(path.resolve(sqlitePath)), 'secret.key') };
  return { kind: 'none' };
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** Encrypt `plain` under `key`, bound to `field`. */
export function seal(key: Buffer, field: string, plain: string): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(field));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** @throws Error when the value was sealed with another key, for another field, or was altered. */
export function open(key: Buffer, field: string, sealed: string): string {
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES)).setAAD(Buffer.from(field));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

let configured: SecretKeySource = { kind: 'ephemeral' };
let current: Buffer | null = null;
let ephemeral: Buffer | null = null;

/** Called by `loadConfig`; later calls replace the key source (tests load several configs). */
export function configureSecretKey(source: SecretKeySource): void {
  configured = source;
  current = null;
}

function keyFile(file: string, create: boolean): Buffer | null {
  if (fs.existsSync(file)) {
    const key = parseSecretKey(fs.readFileSync(file, 'utf8'));
    if (!key) throw new AppError('internal', `${file} does not hold a 32-byte key (base64 or hex)`, 500);
    return key;
  }
  if (!create) return null;
  const key = crypto.randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // wx: never overwrite a key another process has just written.
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function currentKey(create: boolean): Buffer | null {
  if (current) return current;
  const s = configured;
  if (s.kind === 'key') current = s.key;
  else if (s.kind === 'ephemeral') current = ephemeral ??= crypto.randomBytes(32);
  else if (s.kind === 'file') current = keyFile(s.path, create);
  return current;
}

const NO_KEY = 'SECRET_KEY is not set: Earshot needs it to keep source credentials encrypted at rest (32 bytes, base64 or hex; see docs/sources.md)';

/** Settings with each listed secret field sealed (already-sealed and non-string values are kept). */
export function sealSecrets(settings: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out = { ...settings };
  const todo = fields.filter((f) => typeof out[f] === 'string' && !isSealed(out[f]));
  if (!todo.length) return out;
  const key = currentKey(true);
  if (!key) throw new AppError('internal', NO_KEY, 500);
  for (const f of todo) out[f] = seal(key, f, out[f] as string);
  return out;
}

/** Settings with every sealed value opened. @throws AppError naming the setting when it cannot be opened. */
export function openSecrets(settings: Record<string, unknown>): Record<string, unknown> {
  const sealed = Object.keys(settings).filter((k) => isSealed(settings[k]));
  if (!sealed.length) return settings;
  const key = currentKey(false);
  if (!key) throw new AppError('internal', NO_KEY, 500);
  const out = { ...settings };
  for (const f of sealed) {
    try {
      out[f] = open(key, f, settings[f] as string);
    } catch {
      throw new AppError('internal', `the stored secret "${f}" cannot be decrypted with the configured key (was SECRET_KEY or secret.key changed?)`, 500);
    }
  }
  return out;
}
