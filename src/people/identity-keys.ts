/**
 * The keys that link authors across channels to one person (pure):
 * - `email:<address>`: the author's handle is an e-mail address (e-mail, web forms, reviews with a contact);
 * - `handle:<channel>:<handle>`: a handle verified as the person's (see `person_handles`);
 * - `atproto:<did>`: a Bluesky account. Its DID is the account's stable, protocol-verified identity: the
 *   search connector stores it with every post (and shows a handle only when Bluesky verified it for that
 *   DID), the Jetstream connector uses it as the author. Posts of one account from both sources share it.
 */
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function emailKey(handle: string): string | null {
  const h = handle.trim().toLowerCase().replace(/^mailto:/, '');
  return EMAIL.test(h) ? `email:${h}` : null;
}

/** A handle as written by people ("@Lena@Social.example", "u/grumpy_cook") in the form connectors store it. */
export function normalizeHandle(channel: string, handle: string): string {
  let h = handle.trim().toLowerCase().replace(/^@/, '');
  if (channel === 'reddit') h = h.replace(/^\/?u\//, '');
  return h;
}

export function handleKey(channel: string, handle: string): string {
  return `handle:${channel.trim().toLowerCase()}:${normalizeHandle(channel, handle)}`;
}

/** The account DID of a Bluesky mention: `extra.did` (search), or the author handle when it is a DID (Jetstream). */
export function atprotoKey(channel: string, handle: string, extra: Record<string, unknown>): string | null {
  if (channel !== 'bluesky') return null;
  const did = typeof extra.did === 'string' && extra.did.startsWith('did:') ? extra.did : handle.startsWith('did:') ? handle : null;
  return did ? `atproto:${did}` : null;
}
