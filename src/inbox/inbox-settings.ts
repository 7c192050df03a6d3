/**
 * Per-workspace inbox settings: the intake rules (which mentions open a case), the SLA policy and the
 * outgoing reply webhook for channels Earshot cannot answer on itself. Schemas and defaults here; the
 * repository below stores them as JSON.
 */
import { z } from 'zod';
import { DEFAULT_SLA, type SlaPolicy } from './sla.ts';

export const INTENTS = ['complaint', 'question', 'praise', 'suggestion', 'churn_threat', 'escalation_threat'] as const;

export const intakeRulesSchema = z.object({
  enabled: z.boolean().default(true),
  /** A mention with any of these intents about a tracked brand opens a case. */
  intents: z.array(z.enum(INTENTS)).max(INTENTS.length).default(['complaint', 'question', 'churn_threat', 'escalation_threat']),
  /** Also open a case for a negative mention without one of the intents. */
  negative: z.boolean().default(false),
  /** Open a case for every mention about a tracked brand (e.g. a support mailbox, an imported support log). */
  everything: z.boolean().default(false),
  /** Which brands are tracked: own brands only (default) or competitors too. */
  brandKinds: z.array(z.enum(['own', 'competitor'])).min(1).default(['own']),
  /** Limit to these channels; empty = every channel. */
  channels: z.array(z.string().min(1).max(40)).max(50).default([]),
  /** Assign new cases round-robin among available agents. */
  autoAssign: z.boolean().default(true),
});
export type IntakeRules = z.output<typeof intakeRulesSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24 h)');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone');

export const slaPolicySchema = z.object({
  enabled: z.boolean().default(DEFAULT_SLA.enabled),
  businessHours: z
    .object({ timeZone, days: z.array(z.number().int().min(0).max(6)).min(1).max(7), start: hhmm, end: hhmm })
    .refine((b) => b.end > b.start, { message: 'end must be after start', path: ['end'] })
    .nullable()
    .default(null),
  firstResponseMinutes: z.number().int().min(1).max(525_600).default(DEFAULT_SLA.firstResponseMinutes),
  nextResponseMinutes: z.number().int().min(1).max(525_600).default(DEFAULT_SLA.nextResponseMinutes),
  resolutionMinutes: z.number().int().min(1).max(525_600).default(DEFAULT_SLA.resolutionMinutes),
  warnBeforeMinutes: z.number().int().min(0).max(10_080).default(DEFAULT_SLA.warnBeforeMinutes),
  escalateToUserId: z.number().int().positive().nullable().default(null),
}) satisfies z.ZodType<SlaPolicy, unknown>;

export const replyWebhookSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** Standard Webhooks secret ("whsec_" + base64); the receiver verifies the signature with it. */
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'use a Standard Webhooks secret: whsec_ followed by base64'),
});
export type ReplyWebhook = z.output<typeof replyWebhookSchema>;

export interface InboxSettings {
  rules: IntakeRules;
  sla: SlaPolicy;
  replyWebhook: ReplyWebhook | null;
}

export const defaultSettings = (): InboxSettings => ({ rules: intakeRulesSchema.parse({}), sla: slaPolicySchema.parse({}), replyWebhook: null });

export const settingsInput = z.object({ rules: intakeRulesSchema.optional(), sla: slaPolicySchema.optional(), replyWebhook: replyWebhookSchema.nullable().optional() });
