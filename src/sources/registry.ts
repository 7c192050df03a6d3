/**
 * The source kinds Earshot knows: how each one's settings are validated, which fields are secret, and how a
 * runnable Source is built from them. Settings are checked when a source is created or edited (and again when
 * it runs), so a typo is reported to the person who made it, not discovered at 3 a.m. by the scheduler.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Source } from '../pipeline/source.ts';
import type { Clock } from '../lib/clock.ts';
import type { SafeFetch } from '../lib/safe-fetch.ts';
import { ValidationError } from '../lib/errors.ts';
import { createFileSource, fileSettings } from './file/file.source.ts';
import { createRssSource, rssSettings } from './rss/rss.source.ts';
import { buildEmailSource } from './email/email.source.ts';
import { EMAIL_SECRETS, emailSettings, type EmailSettings } from './email/email-settings.ts';
import { createDemoSource, demoSettings } from '../demo/demo.source.ts';
import { webhookSettings } from './webhook/webhook.intake.ts';
import { MAPPED_FIELDS } from './record-mapper.ts';
import { CONNECTOR_KINDS } from './connector-kinds.ts';

export interface SourceDeps {
  clock: Clock;
  fetch: SafeFetch;
  batchSize: number;
  /** Records per batch of a file import, unless its settings say otherwise. */
  importBatchSize: number;
  pollIntervalSeconds: number;
}

export interface SourceKind {
  kind: string;
  label: string;
  settings: z.ZodType<Record<string, unknown>>;
  /** Setting names whose values are secrets: masked in API output and never logged. */
  secrets: string[];
  /** Builds a runnable source; absent for passive kinds (webhook intake is driven by HTTP requests). */
  build?(settings: Record<string, unknown>, deps: SourceDeps): Source;
  /** Seconds between polls (polling kinds only). */
  interval?(settings: Record<string, unknown>, deps: SourceDeps): number;
  /** A one-shot source (file import) is finished after one complete read. */
  oneShot?: boolean;
  /** Fills in generated values (e.g. a webhook signing secret) on creation. */
  prepare?(settings: Record<string, unknown>): Record<string, unknown>;
}

export { MAPPED_FIELDS };

const KINDS: SourceKind[] = [
  {
    kind: 'rss',
    label: 'RSS / Atom / JSON Feed',
    settings: rssSettings as z.ZodType<Record<string, unknown>>,
    secrets: [],
    build: (s, d) => createRssSource(s as z.infer<typeof rssSettings>, { fetch: d.fetch }),
    interval: (s, d) => (s as z.infer<typeof rssSettings>).intervalSeconds ?? d.pollIntervalSeconds,
  },
  {
    kind: 'file',
    label: 'File import (CSV / JSONL)',
    settings: fileSettings as z.ZodType<Record<string, unknown>>,
    secrets: [],
    oneShot: true,
    build: (s, d) => createFileSource(s as z.infer<typeof fileSettings>, { batchSize: d.importBatchSize }),
  },
  {
    kind: 'webhook',
    label: 'Webhook (signed JSON POST)',
    settings: webhookSettings as z.ZodType<Record<string, unknown>>,
    secrets: ['secret'],
    prepare: (s) => ({ ...s, secret: s.secret ?? `whsec_${crypto.randomBytes(24).toString('base64')}` }),
  },
  {
    kind: 'email',
    label: 'E-mail (IMAP mailbox; replies over SMTP)',
    settings: emailSettings as unknown as z.ZodType<Record<string, unknown>>,
    secrets: EMAIL_SECRETS,
    build: buildEmailSource,
    interval: (s) => (s as EmailSettings).pollSeconds,
  },
  {
    kind: 'demo',
    label: 'Demo replay of a bundled public dataset',
    settings: demoSettings as z.ZodType<Record<string, unknown>>,
    secrets: [],
    build: (s, d) => createDemoSource(s as z.infer<typeof demoSettings>, d.clock),
  },
  ...CONNECTOR_KINDS,
];

export function sourceKinds(): readonly SourceKind[] {
  return KINDS;
}

/** @throws ValidationError for an unknown kind. */
export function getSourceKind(kind: string): SourceKind {
  const k = KINDS.find((x) => x.kind === kind);
  if (!k) throw new ValidationError(`unknown source kind "${kind}"; known kinds: ${KINDS.map((x) => x.kind).join(', ')}`, { kind: 'unknown' });
  return k;
}

/** Validates settings for a kind. @throws ValidationError with one entry per bad field. */
export function validateSettings(kind: SourceKind, settings: unknown): Record<string, unknown> {
  const prepared = kind.prepare ? kind.prepare((settings ?? {}) as Record<string, unknown>) : settings;
  const parsed = kind.settings.safeParse(prepared ?? {});
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[['settings', ...issue.path].join('.')] = issue.message;
  throw new ValidationError(`invalid settings for a ${kind.kind} source`, fields);
}

/**
 * Secret values replaced by a hint: only long generated secrets (webhook signing keys) keep their prefix and
 * last four characters so an operator can tell them apart; anything else (passwords, tokens) is fully hidden.
 */
export function maskSecrets(kind: string, settings: Record<string, unknown>): Record<string, unknown> {
  const secrets = KINDS.find((k) => k.kind === kind)?.secrets ?? [];
  const out = { ...settings };
  for (const key of secrets) {
    const v = out[key];
    if (typeof v !== 'string' || !v) continue;
    out[key] = v.startsWith('whsec_') && v.length >= 32 ? `whsec_…${v.slice(-4)}` : '••••••…';
  }
  return out;
}
