/**
 * Webhook intake: verification of Standard Webhooks signatures (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256>`; the standardwebhooks library also rejects timestamps more
 * than five minutes off) and mapping of the JSON body to SourceItems.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { z } from 'zod';
import type { SourceItem, SourceReject } from '../../pipeline/source.ts';
import { AppError, UnauthorizedError } from '../../lib/errors.ts';
import { createRecordMapper, MAPPED_FIELDS, type FieldMap } from '../record-mapper.ts';

export const webhookSettings = z.object({
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'must be a Standard Webhooks secret: whsec_ followed by base64'),
  /** Dot path to the array of items inside the body (e.g. "events" for Trustpilot); default: the body itself or its `mentions`/`items`. */
  itemsPath: z.string().min(1).optional(),
  map: z.partialRecord(z.enum(MAPPED_FIELDS), z.string().min(1)).optional(),
});
export type WebhookSettings = z.infer<typeof webhookSettings>;

/** @throws UnauthorizedError naming what is wrong (missing header, bad signature, stale timestamp). */
export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, rawBody: Buffer): string {
  const pick = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = pick('webhook-id');
  const timestamp = pick('webhook-timestamp');
  const signature = pick('webhook-signature');
  if (!id || !timestamp || !signature) throw new UnauthorizedError('missing webhook-id, webhook-timestamp or webhook-signature header');
  try {
    // jsonParse: false — a correctly signed body that is not JSON is a 400 (said by parseJsonBody), not a 401.
    new Webhook(secret).verify(rawBody, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, { jsonParse: false });
  } catch (err) {
    const reason = err instanceof WebhookVerificationError ? err.message : 'signature could not be verified';
    throw new UnauthorizedError(`webhook rejected: ${reason}`);
  }
  return id;
}

/** Strict UTF-8 decoding + JSON parse. @throws AppError('bad_request') with a clear reason. */
export function parseJsonBody(rawBody: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    throw new AppError('bad_request', 'the body is not valid UTF-8', 400);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('bad_request', `the body is not valid JSON: ${(err as Error).message}`, 400);
  }
}

function itemsOf(body: unknown, itemsPath: string | undefined): unknown[] {
  if (itemsPath) {
    let cur: unknown = body;
    for (const part of itemsPath.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
    if (!Array.isArray(cur)) throw new AppError('bad_request', `the body has no array at "${itemsPath}"`, 400);
    return cur;
  }
  if (Array.isArray(body)) return body;
  const obj = body as Record<string, unknown> | null;
  if (obj && Array.isArray(obj.mentions)) return obj.mentions;
  if (obj && Array.isArray(obj.items)) return obj.items;
  return [body];
}

export const MAX_WEBHOOK_ITEMS = 1000;

/** Maps a verified body to items; records that cannot be mapped become rejects (dead letters). */
export function webhookItems(settings: WebhookSettings, body: unknown, messageId: string): { items: SourceItem[]; rejects: SourceReject[] } {
  const records = itemsOf(body, settings.itemsPath);
  if (records.length > MAX_WEBHOOK_ITEMS) throw new AppError('payload_too_large', `a delivery may carry at most ${MAX_WEBHOOK_ITEMS} items; this one has ${records.length}`, 413);
  const mapper = createRecordMapper((settings.map ?? {}) as FieldMap);
  const items: SourceItem[] = [];
  const rejects: SourceReject[] = [];
  records.forEach((record, i) => {
    try {
      const item = mapper.map(record);
      items.push({ ...item, externalId: item.externalId.startsWith('sha1:') && records.length === 1 ? messageId : item.externalId });
    } catch (err) {
      rejects.push({ error: `item ${i}: ${(err as Error).message}`, payload: record });
    }
  });
  return { items, rejects };
}
