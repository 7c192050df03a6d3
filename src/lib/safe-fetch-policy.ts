/**
 * The address and URL rules behind `safeFetch`: which destinations a user-supplied URL may reach.
 *
 * Kept apart from the I/O in `safe-fetch.ts` so that the rules can be read (and tested) on their own.
 */
import ipaddr from 'ipaddr.js';
import { AppError } from './errors.ts';
import type { PrivateNetworkKind } from '../config.ts';

/** What an address is, as far as the guard is concerned. */
export interface AddressClass {
  /** `public` may always be fetched; a PrivateNetworkKind only when the policy allows it; `never` never. */
  kind: 'public' | PrivateNetworkKind | 'never';
  /** ipaddr.js's range name (loopback, private, uniqueLocal, multicast, reserved...), for messages. */
  range: string;
  /** The address after unwrapping IPv4-mapped IPv6 (::ffff:127.0.0.1 → 127.0.0.1). */
  address: string;
}

const OPERATOR_KINDS: Record<string, PrivateNetworkKind> = {
  loopback: 'loopback',
  private: 'private',
  carrierGradeNat: 'private',
  uniqueLocal: 'private',
  // fec0::/10 is deprecated but still routes inside some networks like a private range.
  deprecatedSiteLocal: 'private',
  linkLocal: 'linklocal',
};

const KIND_WORDS: Record<PrivateNetworkKind, string> = {
  loopback: 'a loopback address (this machine)',
  private: 'a private-network address',
  linklocal: 'a link-local address (this range holds cloud metadata services such as 169.254.169.254)',
};

/**
 * Classify one IP address. Anything that is not plain global unicast and not one of the three kinds an
 * operator may allow (unspecified, multicast, broadcast, reserved, NAT64/6to4/Teredo that can embed an
 * IPv4 address...) is `never`.
 */
export function classifyAddress(input: string): AddressClass {
  if (!ipaddr.isValid(input)) return { kind: 'never', range: 'invalid', address: input };
  const ip = ipaddr.process(input);
  let range: string = ip.range();
  // ::a.b.c.d (IPv4-compatible, deprecated) is "unicast" to ipaddr.js but can reach IPv4 hosts.
  if (ip.kind() === 'ipv6' && range === 'unicast' && ip.toByteArray().slice(0, 12).every((b) => b === 0)) {
    range = 'ipv4Compatible';
  }
  const address = ip.toString();
  if (range === 'unicast') return { kind: 'public', range, address };
  return { kind: OPERATOR_KINDS[range] ?? 'never', range, address };
}

/**
 * Throw `fetch_refused` unless `address` (which `host` resolved to) may be fetched under `allowPrivate`.
 */
export function assertAddressAllowed(host: string, address: string, allowPrivate: readonly PrivateNetworkKind[]): void {
  const c = classifyAddress(address);
  if (c.kind === 'public') return;
  if (c.kind !== 'never' && allowPrivate.includes(c.kind)) return;
  const target = host === c.address || host === address ? c.address : `${host} (${c.address})`;
  const message =
    c.kind === 'never'
      ? `Refused to fetch from ${target}: it is a ${c.range} address, which Earshot never fetches.`
      : `Refused to fetch from ${target}: it is ${KIND_WORDS[c.kind]}. ` +
        `If Earshot really should reach it, the operator can allow it with FETCH_ALLOW_PRIVATE=${c.kind}.`;
  throw new AppError('fetch_refused', message, 400);
}

/** The URL without query and fragment, which may carry tokens (private feed URLs often do). */
export function redactUrl(url: URL | string): string {
  const u = typeof url === 'string' ? safeParse(url) : url;
  if (!u) return '(invalid URL)';
  const hidden = u.search || u.hash ? '?…' : '';
  return `${u.protocol}//${u.host}${u.pathname}${hidden}`;
}

function safeParse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Parse a URL and refuse the kinds the guard never fetches: schemes other than http(s), credentials in
 * the URL, and IP-literal hosts outside the policy (an IP literal skips DNS, so it is checked here).
 */
export function checkUrl(raw: string, allowPrivate: readonly PrivateNetworkKind[]): URL {
  const url = safeParse(raw);
  if (!url) throw new AppError('fetch_refused', 'Refused to fetch: the URL is not valid.', 400);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('fetch_refused', `Refused to fetch a ${url.protocol} URL: only http and https are allowed.`, 400);
  }
  if (url.username || url.password) {
    throw new AppError(
      'fetch_refused',
      `Refused to fetch ${redactUrl(url)}: credentials in the URL are not allowed (they end up in logs and databases).`,
      400,
    );
  }
  const host = hostOf(url);
  if (ipaddr.isValid(host)) assertAddressAllowed(host, host, allowPrivate);
  return url;
}

/** URL.hostname keeps IPv6 brackets; strip them for DNS and address checks. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}
