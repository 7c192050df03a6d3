/**
 * One reply sender per channel, chosen by the kind of source the answered mention came from: e-mail over
 * the source's SMTP settings (threaded with In-Reply-To/References), a Mastodon status reply with the
 * source's token, a Bluesky post with root/parent refs signed in as a Bluesky search source of the
 * workspace, a Reddit comment as the source app's bot account, a Google Play developer reply with the source's
 * service account; any other channel gets a signed outgoing webhook (Standard Webhooks) to the workspace's URL.
 * Senders do I/O only; the reply service decides when to call them (after commit) and records the outcome.
 */
import { Webhook } from 'standardwebhooks';
import type { AppContext } from '../app-context.ts';
import type { Mention } from '../mentions/mention.ts';
import { listSources, type SourceRecord } from '../sources/source.repository.ts';
import { sendEmailReply } from '../sources/email/email-reply.ts';
import { smtpSettingsOf, type EmailSettings } from '../sources/email/email-settings.ts';
import { guardFromPolicy } from '../sources/email/host-guard.ts';
import { sendMastodonReply } from '../sources/mastodon/mastodon.reply.ts';
import { sendBlueskyReply } from '../sources/bluesky/bluesky.reply.ts';
import { sendRedditReply } from '../sources/reddit/reddit.reply.ts';
import { MAX_REPLY_CHARS, sendGooglePlayReply } from '../sources/appstore/googleplay.reply.ts';
import type { ReplyWebhook } from './inbox-settings.ts';

export interface Outgoing {
  replyId: number;
  caseId: number;
  text: string;
  mention: Mention;
  source: SourceRecord;
  replyWebhook: ReplyWebhook | null;
}

/** Permanent problems (no credentials, no reply channel): retrying will not help until settings change. */
export class ReplyConfigError extends Error {}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Sends the reply. @returns the channel's id of the sent message. @throws on any failure (ReplyConfigError when permanent). */
export async function sendThroughChannel(ctx: AppContext, o: Outgoing): Promise<string | null> {
  const kind = o.source.kind;
  if (kind === 'email') return sendEmail(ctx, o);
  if (kind === 'mastodon' || kind === 'mastodon-stream') return sendMastodon(ctx, o);
  if (kind === 'bluesky' || kind === 'bluesky-search') return sendBluesky(ctx, o);
  if (kind === 'reddit') return sendReddit(ctx, o);
  if (kind === 'googleplay') return sendGooglePlay(ctx, o);
  return sendWebhook(ctx, o);
}

async function sendEmail(ctx: AppContext, o: Outgoing): Promise<string> {
  const s = o.source.settings as unknown as EmailSettings;
  const smtp = smtpSettingsOf(s);
  if (!smtp) throw new ReplyConfigError(`the e-mail source "${o.source.name}" has no smtpHost: replies cannot be sent`);
  const from = s.fromAddress ?? (s.user.includes('@') ? s.user : undefined);
  if (!from) throw new ReplyConfigError(`the e-mail source "${o.source.name}" needs a fromAddress`);
  const to = str(o.mention.extra.replyTo) ?? o.mention.author?.handle;
  if (!to) throw new ReplyConfigError('the e-mail has no sender address to answer');
  const references = Array.isArray(o.mention.extra.references) ? (o.mention.extra.references as string[]) : [];
  const sent = await sendEmailReply(
    smtp,
    { from: { address: from, name: s.fromName ?? null }, to, subject: o.mention.title ?? '', text: o.text, inReplyTo: o.mention.externalId, references },
    { guard: guardFromPolicy(ctx.config.fetch.allowPrivate) },
  );
  if (sent.rejected.length && !sent.accepted.length) throw new Error(`the SMTP server rejected ${sent.rejected.join(', ')}`);
  return sent.messageId;
}

async function sendMastodon(ctx: AppContext, o: Outgoing): Promise<string> {
  const instance = str(o.source.settings.instance);
  const accessToken = str(o.source.settings.accessToken);
  if (!instance || !accessToken) throw new ReplyConfigError(`the Mastodon source "${o.source.name}" needs an access token with write:statuses to reply`);
  const author = o.mention.author?.handle;
  if (!author) throw new ReplyConfigError('the status has no author to answer');
  const sent = await sendMastodonReply({ instance, accessToken }, { inReplyToId: o.mention.externalId, authorAcct: author, text: o.text, idempotencyKey: `earshot-reply-${o.replyId}` }, { fetch: ctx.sourceDeps.fetch });
  return sent.id;
}

/** The Bluesky account to reply as: the mention's own source when it signs in, else the workspace's first Bluesky search source. */
async function blueskyAccount(ctx: AppContext, o: Outgoing): Promise<SourceRecord> {
  if (o.source.kind === 'bluesky-search') return o.source;
  const found = (await listSources(ctx.db.kysely, o.source.workspaceId)).find((s) => s.kind === 'bluesky-search');
  if (!found) throw new ReplyConfigError('replying on Bluesky needs a "bluesky-search" source (it holds the account and app password)');
  return found;
}

async function sendBluesky(ctx: AppContext, o: Outgoing): Promise<string> {
  const acct = await blueskyAccount(ctx, o);
  const x = o.mention.extra;
  const cid = str(x.cid);
  if (!cid) throw new ReplyConfigError('the post has no cid: it cannot be replied to');
  const parent = { uri: o.mention.externalId, cid };
  const root = str(x.rootUri) && str(x.rootCid) ? { uri: str(x.rootUri)!, cid: str(x.rootCid)! } : parent;
  const account = { service: str(acct.settings.service) ?? 'https://bsky.social', identifier: str(acct.settings.identifier) ?? '', appPassword: str(acct.settings.appPassword) ?? '' };
  const sent = await sendBlueskyReply(account, { parent, root, text: o.text, ...(o.mention.lang ? { langs: [o.mention.lang] } : {}) }, { fetch: ctx.sourceDeps.fetch });
  return sent.uri;
}

/** A comment under the submission or comment (`thing_id` = the mention's fullname), as the app's bot account. */
async function sendReddit(ctx: AppContext, o: Outgoing): Promise<string> {
  const st = o.source.settings;
  const [clientId, clientSecret, userAgent, username, password] = [st.clientId, st.clientSecret, st.userAgent, st.username, st.password].map(str);
  if (!clientId || !clientSecret || !userAgent) throw new ReplyConfigError(`the Reddit source "${o.source.name}" has no app credentials`);
  if (!username || !password) throw new ReplyConfigError(`the Reddit source "${o.source.name}" needs the username and password of the script app's bot account to reply`);
  if (!/^t[13]_[a-z0-9]+$/i.test(o.mention.externalId)) throw new ReplyConfigError(`"${o.mention.externalId}" is not a Reddit submission or comment: it cannot be replied to`);
  const app = { authUrl: str(st.authUrl) ?? 'https://www.reddit.com', apiUrl: str(st.apiUrl) ?? 'https://oauth.reddit.com', clientId, clientSecret, userAgent, username, password };
  const sent = await sendRedditReply(app, { thingId: o.mention.externalId, text: o.text }, { fetch: ctx.sourceDeps.fetch });
  return sent.name;
}

/** The developer reply to the review (Play keeps one per review: a second reply replaces the first). */
async function sendGooglePlay(ctx: AppContext, o: Outgoing): Promise<string> {
  const st = o.source.settings;
  const packageName = str(st.packageName);
  const serviceAccountJson = str(st.serviceAccountJson);
  if (!packageName || !serviceAccountJson) throw new ReplyConfigError(`the Google Play source "${o.source.name}" has no package name or service account`);
  const length = [...o.text.trim()].length;
  if (length > MAX_REPLY_CHARS) throw new ReplyConfigError(`Google Play replies are limited to ${MAX_REPLY_CHARS} characters; this one has ${length}: shorten it and send again`);
  await sendGooglePlayReply({ packageName, serviceAccountJson, ...(str(st.baseUrl) ? { baseUrl: str(st.baseUrl)! } : {}) }, { reviewId: o.mention.externalId, text: o.text }, { fetch: ctx.sourceDeps.fetch });
  return `googleplay-reply:${o.mention.externalId}`;
}

/** The payload of the outgoing reply webhook (`type: "reply.created"`). */
export function webhookPayload(o: Outgoing, at: number): Record<string, unknown> {
  const m = o.mention;
  return {
    type: 'reply.created',
    timestamp: new Date(at).toISOString(),
    data: { replyId: o.replyId, caseId: o.caseId, channel: m.channel, text: o.text, inReplyTo: { mentionId: m.id, externalId: m.externalId, url: m.url, author: m.author?.handle ?? null, sourceId: m.sourceId } },
  };
}

async function sendWebhook(ctx: AppContext, o: Outgoing): Promise<string> {
  if (!o.replyWebhook) throw new ReplyConfigError(`Earshot cannot answer on "${o.mention.channel}" itself: configure the inbox reply webhook`);
  const now = new Date(ctx.clock.now());
  const id = `reply_${o.replyId}`;
  const body = JSON.stringify(webhookPayload(o, now.getTime()));
  const signature = new Webhook(o.replyWebhook.secret).sign(id, now, body);
  const res = await ctx.sourceDeps.fetch(o.replyWebhook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature },
    body,
  });
  if (res.status < 200 || res.status >= 300) throw new Error(`the reply webhook answered HTTP ${res.status}`);
  return id;
}
