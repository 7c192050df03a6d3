/** Password hashing (argon2id, the library's defaults) and the token helpers for sessions and API tokens. */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** A hash of a fixed string, verified against when the e-mail is unknown, so both cases take as long. */
let decoy: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** @returns true when `password` matches; a missing `stored` hash still costs one verification. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    decoy ??= hash('earshot-decoy-password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** A URL-safe random secret (256 bits). */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** Session ids and API tokens are stored as SHA-256: they are random, so a slow hash adds nothing. */
export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
