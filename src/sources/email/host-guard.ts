/**
 * The SSRF guard for the user-supplied mail hosts (IMAP and SMTP), with the same rules as safeFetch:
 * resolve the name once, refuse if any address is in a range the policy (FETCH_ALLOW_PRIVATE) does not
 * allow, and connect to the checked address, so a second DNS answer cannot point somewhere else.
 *
 * The policy comes either as the list itself or, where only the guarded fetch is at hand (the registry's
 * `SourceDeps`), from that fetch: `policyAllows` asks it without doing any I/O.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import type { PrivateNetworkKind } from '../../config.ts';
import { AppError } from '../../lib/errors.ts';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { assertAddressAllowed } from '../../lib/safe-fetch-policy.ts';
import { policyAllows } from '../guarded-websocket.ts';

/** Resolves when `host` (resolved to `address`) may be reached. @throws AppError `fetch_refused` otherwise. */
export type AddressGuard = (host: string, address: string) => Promise<void>;

/** A guard for an explicit FETCH_ALLOW_PRIVATE list. */
export function guardFromPolicy(allowPrivate: readonly PrivateNetworkKind[]): AddressGuard {
  return async (host, address) => assertAddressAllowed(host, address, allowPrivate);
}

/** A guard that applies whatever policy the guarded fetch was built with. */
export function guardFromFetch(fetch: SafeFetch): AddressGuard {
  return async (host, address) => {
    if (await policyAllows(fetch, address)) return;
    const message = `Refused to connect to ${host === address ? address : `${host} (${address})`}: the address is not allowed. If Earshot really should reach it, the operator can allow it with FETCH_ALLOW_PRIVATE.`;
    throw new AppError('fetch_refused', message, 400);
  };
}

/**
 * @returns the address to connect to, and the name for TLS (SNI and the certificate check) when the host
 *   was a name.
 * @throws AppError `fetch_refused` when an address is not allowed; the DNS error when the name does not resolve.
 */
export async function guardedTarget(host: string, guard: AddressGuard): Promise<{ host: string; servername?: string }> {
  if (net.isIP(host)) {
    await guard(host, host);
    return { host };
  }
  const addresses = await dns.lookup(host, { all: true });
  for (const a of addresses) await guard(host, a.address);
  // TLS still verifies the certificate against the name (SNI + identity check use `servername`).
  return { host: addresses[0]!.address, servername: host };
}
