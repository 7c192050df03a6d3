/**
 * Reply-back on Reddit: `POST /api/comment` (`api_type=json`, `thing_id` = the fullname stored as the
 * mention's externalId, `text` in Markdown), as a bot account of a "script" app (password grant, scope
 * `submit`). Reddit reports most failures inside a 200 answer (`json.errors`), so those are checked too.
 */
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { redditCall, type RedditApp } from './reddit.client.ts';

export interface RedditReply {
  /** t3_… (a submission) or t1_… (a comment). */
  thingId: string;
  text: string;
}

export interface SentRedditReply {
  /** The new comment's fullname (t1_…). */
  name: string;
  permalink: string | null;
}

interface CommentAnswer {
  json?: { errors?: unknown[][]; data?: { things?: { kind?: string; data?: { name?: string; permalink?: string } }[] } };
}

/**
 * @throws Error when the app has no bot account, with Reddit's error codes (RATELIMIT, THREAD_LOCKED,
 *   DELETED_COMMENT…) or the status; SourceRetryError on 429.
 */
export async function sendRedditReply(app: RedditApp, reply: RedditReply, deps: { fetch: SafeFetch }): Promise<SentRedditReply> {
  if (!app.username || !app.password) throw new Error('replying on Reddit needs the bot account username and password of a script app');
  if (!/^t[13]_[a-z0-9]+$/i.test(reply.thingId)) throw new Error(`"${reply.thingId}" is not a Reddit submission or comment fullname`);
  const { body } = await redditCall<CommentAnswer>(deps.fetch, app, '/api/comment', {
    what: 'the Reddit comment API',
    method: 'POST',
    form: { api_type: 'json', thing_id: reply.thingId, text: reply.text },
  });
  const errors = body?.json?.errors ?? [];
  if (errors.length) throw new Error(`Reddit refused the reply: ${errors.map((e) => e.join(': ')).join('; ')}`);
  const thing = body?.json?.data?.things?.[0]?.data;
  if (!thing?.name) throw new Error('the Reddit comment API answered without the new comment');
  return { name: thing.name, permalink: thing.permalink ? `https://www.reddit.com${thing.permalink}` : null };
}
