/**
 * E-mail over SMTP (nodemailer), through the operator's server (SMTP_* settings). Plain text plus a small
 * HTML part; every customer-written string is escaped in the HTML.
 */
import type { Transporter } from 'nodemailer';
import type { SmtpConfig } from '../../config.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { AlertMessage, Notifier } from './notifier.ts';
import { DeliveryError, headline } from './notifier.ts';
import { createSmtpTransport } from './smtp-transport.ts';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Subject, text and HTML of an alert e-mail (exported for tests). */
export function emailContent(m: AlertMessage): { subject: string; text: string; html: string } {
  const e = m.alert.explanation;
  const quotes = (e.representative ?? []).slice(0, 5);
  const authors = (e.topAuthors ?? []).slice(0, 5);
  const text = [
    e.summary ?? m.alert.title,
    '',
    ...(e.topTerms?.length ? [`Top terms: ${e.topTerms.map((t) => t.term).join(', ')}`] : []),
    ...(authors.length ? [`Top authors by reach: ${authors.map((a) => `@${a.handle} (${a.followers})`).join(', ')}`] : []),
    '',
    ...quotes.map((q) => `> ${q.text.replace(/\s+/g, ' ')}${q.author ? ` — @${q.author}` : ''}`),
    '',
    `Alert #${m.alert.id}, rule ${m.alert.rule}, status ${m.alert.status}.`,
  ].join('\n');
  const html = `<p><strong>${escapeHtml(headline(m))}</strong></p><p>${escapeHtml(e.summary ?? m.alert.title)}</p>`
    + (quotes.length ? `<ul>${quotes.map((q) => `<li>${escapeHtml(q.text)}${q.author ? ` — @${escapeHtml(q.author)}` : ''}</li>`).join('')}</ul>` : '');
  return { subject: headline(m), text, html };
}

export function emailNotifier(smtp: SmtpConfig | null): Notifier {
  // Built on the first e-mail, then reused (it pools nothing: each send opens its own connection).
  let transport: Promise<Transporter> | null = null;
  return {
    async send(channel, message) {
      if (!smtp) throw new DeliveryError('e-mail alerts need SMTP_HOST and SMTP_FROM', null, false);
      const to = channel.config.to ?? [];
      if (!to.length) throw new DeliveryError('the channel has no recipients', null, false);
      try {
        const info = await (await (transport ??= createSmtpTransport(smtp))).sendMail({ from: smtp.from, to, ...emailContent(message) });
        return Number(/^(\d{3})/.exec(info.response ?? '')?.[1] ?? 250);
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode ?? null;
        // 5xx SMTP replies are permanent (mailbox refused); connection problems and 4xx are worth a retry.
        throw new DeliveryError(`SMTP ${smtp.host}:${smtp.port}: ${errorMessage(err)}`, code, code === null || code < 500);
      }
    },
  };
}
