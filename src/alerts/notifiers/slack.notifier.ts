/**
 * Slack-compatible incoming webhook (also accepted by Mattermost, Rocket.Chat and Discord's /slack
 * endpoint): a `text` fallback plus Block Kit sections with the explanation. Alert text comes from
 * customers, so Slack's control characters (&, <, >) are escaped: a mention cannot ping @channel or forge a link.
 */
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import type { AlertMessage, Notifier } from './notifier.ts';
import { DeliveryError, headline } from './notifier.ts';
import { postJson } from './http-notify.ts';

export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The message body (exported for tests and previews). */
export function slackMessage(m: AlertMessage): { text: string; blocks: unknown[] } {
  const e = m.alert.explanation;
  const text = escapeSlack(`${headline(m)} — ${e.summary ?? ''}`);
  const fields = [
    `*Severity:* ${m.alert.severity}`,
    `*Observed:* ${e.observed ?? m.alert.observed}${e.expected !== null && e.expected !== undefined ? ` (expected ${e.expected})` : ''}`,
    `*Since:* ${new Date(m.alert.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `*Status:* ${m.alert.status}`,
  ].map((t) => ({ type: 'mrkdwn', text: t }));
  const quotes = (e.representative ?? []).slice(0, 3).map((r) => `> ${escapeSlack(r.text.replace(/\s+/g, ' ').slice(0, 200))}${r.author ? ` — ${escapeSlack(r.author)}` : ''}`);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: headline(m).slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(e.summary ?? m.alert.title) } },
    { type: 'section', fields },
  ];
  if (quotes.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: quotes.join('\n') } });
  return { text, blocks };
}

export function slackNotifier(fetch: SafeFetch): Notifier {
  return {
    async send(channel, message) {
      if (!channel.config.url) throw new DeliveryError('the channel has no URL', null, false);
      return postJson(fetch, channel.config.url, JSON.stringify(slackMessage(message)), {});
    },
  };
}
