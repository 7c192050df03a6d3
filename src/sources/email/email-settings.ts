/**
 * Settings of an `email` source: the IMAP mailbox to read and, optionally, the SMTP server that replies to
 * its messages go out through. Validated by the registry when the source is created or edited.
 *
 * Transport security is explicit: `secure: true` is TLS from the first byte (port 993 / 465); otherwise
 * `starttls` decides, and its default `required` means credentials never cross the wire in cleartext
 * unless an operator writes `starttls: "off"` (a loopback test server, a mail server on the same host).
 */
import { z } from 'zod';
import type { ImapFlowOptions } from 'imapflow';

const starttls = z.enum(['required', 'optional', 'off']);

export const emailSettings = z
  .object({
    host: z.string().trim().min(1).max(253),
    /** Default: 993 with `secure`, else 143. */
    port: z.number().int().min(1).max(65535).optional(),
    secure: z.boolean().default(true),
    starttls: starttls.default('required'),
    /** false accepts a self-signed or mismatched certificate (a private mail server); never the default. */
    tlsVerify: z.boolean().default(true),
    user: z.string().min(1).max(320),
    password: z.string().min(1).max(1024),
    mailbox: z.string().min(1).max(512).default('INBOX'),
    /** Seconds between polls, and the longest wait in IDLE before the mailbox is checked anyway. */
    pollSeconds: z.number().int().min(10).max(3600).default(120),
    /** Stream with IMAP IDLE (a new message arrives within seconds) instead of polling. */
    idle: z.boolean().default(true),
    /** How many of the newest messages are read on the first run and after a UIDVALIDITY change. */
    initialMessages: z.number().int().min(0).max(5000).default(50),
    /** Connect and greeting timeout; a command that stays silent for 4× this long fails the run. */
    timeoutSeconds: z.number().int().min(1).max(300).default(30),
    /** Larger messages are dead-lettered with their headers instead of being downloaded. */
    maxMessageBytes: z.number().int().min(1024).max(50 * 1024 * 1024).default(10 * 1024 * 1024),
    smtpHost: z.string().trim().min(1).max(253).optional(),
    /** Default: 465 with `smtpSecure`, else 587. */
    smtpPort: z.number().int().min(1).max(65535).optional(),
    smtpSecure: z.boolean().default(false),
    smtpStarttls: starttls.default('required'),
    /** Default: the IMAP user and password (one mailbox account for both directions). */
    smtpUser: z.string().min(1).max(320).optional(),
    smtpPassword: z.string().min(1).max(1024).optional(),
    /** The From address of replies; default: `user` when it is an address. */
    fromAddress: z.email().optional(),
    fromName: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.secure && s.starttls === 'required' && s.port === 143) {
      ctx.addIssue({ code: 'custom', path: ['secure'], message: 'port 143 speaks plain IMAP first: set secure to false (STARTTLS stays required)' });
    }
    if (!s.secure && s.port === 993) {
      ctx.addIssue({ code: 'custom', path: ['secure'], message: 'port 993 expects TLS from the first byte: set secure to true' });
    }
  });
export type EmailSettings = z.output<typeof emailSettings>;

/** Setting names whose values are secrets (masked in API output, never logged). */
export const EMAIL_SECRETS = ['password', 'smtpPassword'];

/** SMTP connection settings for `sendEmailReply`. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (465); otherwise `starttls` applies. */
  secure: boolean;
  starttls: 'required' | 'optional' | 'off';
  tlsVerify?: boolean;
  user?: string;
  password?: string;
  timeoutSeconds?: number;
}

/**
 * The ImapFlow options for these settings. Timeouts: connect and greeting get `timeoutSeconds`; socket
 * inactivity gets four times that (at least 60 s), which the IDLE loop stays under by waking regularly.
 */
export function imapOptions(s: EmailSettings): ImapFlowOptions {
  const timeoutMs = s.timeoutSeconds * 1000;
  return {
    host: s.host,
    port: s.port ?? (s.secure ? 993 : 143),
    secure: s.secure,
    ...(s.secure ? {} : { doSTARTTLS: s.starttls === 'required' ? true : s.starttls === 'off' ? false : undefined }),
    tls: { rejectUnauthorized: s.tlsVerify },
    auth: { user: s.user, pass: s.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: Math.max(4 * timeoutMs, 60_000),
  };
}

/** The SMTP settings of an email source, or null when it has no `smtpHost` (replies not configured). */
export function smtpSettingsOf(s: EmailSettings): SmtpSettings | null {
  if (!s.smtpHost) return null;
  return {
    host: s.smtpHost,
    port: s.smtpPort ?? (s.smtpSecure ? 465 : 587),
    secure: s.smtpSecure,
    starttls: s.smtpStarttls,
    tlsVerify: s.tlsVerify,
    user: s.smtpUser ?? s.user,
    password: s.smtpPassword ?? s.password,
    timeoutSeconds: s.timeoutSeconds,
  };
}
