/**
 * Reply-back on Google Play: `POST …/applications/{package}/reviews/{reviewId}:reply` with `{replyText}`.
 * A review has one developer reply; posting again replaces it. Play strips HTML and limits the text to 350
 * characters, so a longer reply is refused here rather than cut silently.
 */
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { apiUrl } from '../connector-http.ts';
import { parseServiceAccount } from './googleplay.auth.ts';
import { playCall } from './googleplay.source.ts';

export interface GooglePlayAccount {
  packageName: string;
  serviceAccountJson: string;
  baseUrl?: string;
}

export const MAX_REPLY_CHARS = 350;

/**
 * @returns the reply as Play stored it and when.
 * @throws Error when the text is empty or too long, with Google's reason (403: the account lacks the
 *   "Reply to reviews" permission; 404: no such review in the 7-day window), SourceRetryError on 429.
 */
export async function sendGooglePlayReply(account: GooglePlayAccount, reply: { reviewId: string; text: string }, deps: { fetch: SafeFetch }): Promise<{ replyText: string; lastEdited: number | null }> {
  const text = reply.text.trim();
  if (!text) throw new Error('the reply is empty');
  if ([...text].length > MAX_REPLY_CHARS) throw new Error(`Google Play replies are limited to ${MAX_REPLY_CHARS} characters; this one has ${[...text].length}`);
  const key = parseServiceAccount(account.serviceAccountJson);
  const url = apiUrl(account.baseUrl ?? 'https://androidpublisher.googleapis.com', `/androidpublisher/v3/applications/${encodeURIComponent(account.packageName)}/reviews/${encodeURIComponent(reply.reviewId)}:reply`);
  const body = await playCall<{ result?: { replyText?: string; lastEdited?: { seconds?: string } } }>(deps.fetch, key, url, { what: 'the Google Play reply API', method: 'POST', body: JSON.stringify({ replyText: text }) });
  if (!body?.result?.replyText) throw new Error('the Google Play reply API answered without a result');
  return { replyText: body.result.replyText, lastEdited: body.result.lastEdited?.seconds ? Number(body.result.lastEdited.seconds) * 1000 : null };
}
