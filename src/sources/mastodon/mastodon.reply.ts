/**
 * Reply-back on Mastodon: `POST /api/v1/statuses` with `in_reply_to_id` (the instance-local id stored as the
 * mention's externalId). The inbox calls this; it keeps no state of its own.
 */
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { apiUrl, fetchJson } from '../connector-http.ts';

export interface MastodonReplyAccount {
  /** The instance the token belongs to; replies must go through the instance that knows the status id. */
  instance: string;
  /** User token with scope write:statuses. */
  accessToken: string;
}

export interface MastodonReply {
  /** The status answered (instance-local id). */
  inReplyToId: string;
  /** Its author's acct (`user` or `user@host`); Mastodon only notifies people who are @mentioned. */
  authorAcct: string;
  text: string;
  /** Replies default to `unlisted`: visible in the thread, kept out of public timelines. */
  visibility?: 'public' | 'unlisted' | 'private' | 'direct';
  /** Same key, same reply: Mastodon keeps it for an hour, so a retried send does not post twice. */
  idempotencyKey: string;
}

export interface SentReply {
  id: string;
  url: string | null;
}

/** The status text, starting with the @mention unless the writer already put it in. */
export function replyText(authorAcct: string, text: string): string {
  const mention = `@${authorAcct.replace(/^@/, '')}`;
  // Followed by punctuation is still the mention; followed by more of a handle (".social", "x") is not.
  const escaped = mention.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|\\s)${escaped}(?![\\w@-]|\\.\\w)`, 'i').test(text) ? text : `${mention} ${text}`;
}

/**
 * Post the reply.
 * @throws SourceRetryError on 429 (rate limit); Error naming the status otherwise (401 bad token, 422 with
 *   Mastodon's reason, e.g. text too long); the fetch's AppError when the instance is refused/unreachable.
 */
export async function sendMastodonReply(account: MastodonReplyAccount, reply: MastodonReply, deps: { fetch: SafeFetch }): Promise<SentReply> {
  const form = new URLSearchParams({
    status: replyText(reply.authorAcct, reply.text),
    in_reply_to_id: reply.inReplyToId,
    visibility: reply.visibility ?? 'unlisted',
  });
  const { body } = await fetchJson<{ id?: unknown; url?: unknown }>(deps.fetch, apiUrl(account.instance, '/api/v1/statuses'), {
    what: 'the Mastodon status API',
    method: 'POST',
    headers: {
      authorization: `Bearer ${account.accessToken}`,
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': reply.idempotencyKey,
    },
    body: form.toString(),
  });
  if (typeof body?.id !== 'string') throw new Error('the Mastodon status API answered without a status id');
  return { id: body.id, url: typeof body.url === 'string' ? body.url : null };
}
