/**
 * Receiving one webhook delivery: the source must exist, be a webhook and be enabled; the signature must
 * verify; a delivery id seen before is acknowledged again without storing anything twice.
 */
import type { AppContext } from '../../app-context.ts';
import { rememberDelivery, seenDelivery } from './webhook-receipt.repository.ts';
import { AppError, NotFoundError } from '../../lib/errors.ts';
import { getSourceById } from '../source.repository.ts';
import { parseJsonBody, verifyWebhook, webhookItems, webhookSettings } from './webhook.intake.ts';

export interface WebhookReceipt {
  duplicate: boolean;
  stored: number;
  known: number;
  filtered: number;
  failed: number;
}

export async function receiveWebhook(ctx: AppContext, sourceId: number, headers: Record<string, string | string[] | undefined>, rawBody: Buffer): Promise<WebhookReceipt> {
  const source = await getSourceById(ctx.db.kysely, null, sourceId).catch(() => null);
  // The same answer for "no such source" and "not a webhook": do not let callers probe source ids.
  if (!source || source.kind !== 'webhook') throw new NotFoundError('webhook source', sourceId);
  if (!source.enabled) throw new AppError('conflict', 'this webhook source is paused', 409);
  const settings = webhookSettings.parse(source.settings);
  const messageId = verifyWebhook(settings.secret, headers, rawBody);
  if (await seenDelivery(ctx.db.kysely, sourceId, messageId)) return { duplicate: true, stored: 0, known: 0, filtered: 0, failed: 0 };
  const { items, rejects } = webhookItems(settings, parseJsonBody(rawBody), messageId);
  const r = await ctx.pipeline.process({ workspaceId: source.workspaceId, sourceId, sourceKind: 'webhook', fixedBrandId: source.brandId }, { items, rejects });
  await rememberDelivery(ctx.db.kysely, sourceId, messageId, ctx.clock.now());
  return { duplicate: false, stored: r.stored, known: r.known, filtered: r.filtered, failed: r.failed };
}
