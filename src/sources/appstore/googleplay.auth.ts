/**
 * Google service-account OAuth for the Play Developer API, without google-auth-library: a JWT assertion
 * (RS256, signed with node:crypto) exchanged at the account's `token_uri` for an access token with the
 * `androidpublisher` scope. Tokens are cached per service account until shortly before they expire.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { fetchJson } from '../connector-http.ts';

export const SCOPE = 'https://www.googleapis.com/auth/androidpublisher';

/** The fields of a service-account key file (the JSON downloaded from Google Cloud) that are used. */
export const serviceAccountKey = z.object({
  client_email: z.string().email(),
  private_key: z.string().includes('PRIVATE KEY', { message: 'must be the PEM private key from the key file' }),
  token_uri: z.string().url().default('https://oauth2.googleapis.com/token'),
});
export type ServiceAccountKey = z.infer<typeof serviceAccountKey>;

/** Parses the key file text. @throws Error saying which field is missing (never echoing the key). */
export function parseServiceAccount(json: string): ServiceAccountKey {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('the service account key is not JSON (paste the whole key file)');
  }
  const r = serviceAccountKey.safeParse(raw);
  if (!r.success) throw new Error(`the service account key is missing or has a bad ${r.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return r.data;
}

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

/** The signed assertion (RFC 7523) for `key`, valid for an hour from `nowSeconds`. */
export function signAssertion(key: ServiceAccountKey, nowSeconds: number): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(JSON.stringify({ iss: key.client_email, scope: SCOPE, aud: key.token_uri, iat: nowSeconds, exp: nowSeconds + 3600 }));
  const signature = crypto.createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key.private_key);
  return `${header}.${claims}.${b64url(signature)}`;
}

const cache = new Map<string, { token: string; expiresAt: number }>();

/** @throws Error with Google's reason (invalid_grant: wrong key or clock) and the fetch's errors. */
export async function googleAccessToken(fetch: SafeFetch, key: ServiceAccountKey, signal?: AbortSignal, now = Date.now()): Promise<string> {
  const id = `${key.token_uri}\u0000${key.client_email}`;
  const hit = cache.get(id);
  if (hit && hit.expiresAt - 60_000 > now) return hit.token;
  const { body } = await fetchJson<{ access_token?: string; expires_in?: number }>(fetch, key.token_uri, {
    what: 'the Google token endpoint',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signAssertion(key, Math.floor(now / 1000)) }).toString(),
    signal,
  });
  if (!body?.access_token) throw new Error('the Google token endpoint answered without an access_token');
  cache.set(id, { token: body.access_token, expiresAt: now + (body.expires_in ?? 3600) * 1000 });
  return body.access_token;
}

export function forgetGoogleToken(key: ServiceAccountKey): void {
  cache.delete(`${key.token_uri}\u0000${key.client_email}`);
}
