/**
 * The SSRF guard for the user-supplied mail hosts (IMAP and SMTP), with the same rules as safeFetch:
 * resolve the name once, refuse if any address is in a range the policy (FETCH_ALLOW_PRIVATE) does not
 * allow, and connect to the checked address, so a second DNS answer cannot point somewhere else.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import type { PrivateNetworkKind } from '../../config.ts';
import { assertAddressAllowed } from '../../lib/safe-fetch-policy.ts';

/**
 * @returns the address to connect to, and the name for TLS (SNI and the certificate check) when the host
 *   was a name.
 * @throws AppError `fetch_refused` when an address is not allowed; the DNS error when the name does not resolve.
 */
export async function guardedTarget(host: string, allowPrivate: readonly PrivateNetworkKind[]): Promise<{ host: string; servername?: string }> {
  if (net.isIP(host)) {
    assertAddressAllowed(host, host, allowPrivate);
    return { host };
  }
  const addresses = await dns.lookup(host, { all: true });
  for (const a of addresses) assertAddressAllowed(host, a.address, allowPrivate);
  // TLS still verifies the certificate against the name (SNI + identity check use `servername`).
  return { host: addresses[0]!.address, servername: host };
}
