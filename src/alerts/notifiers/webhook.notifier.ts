/**
 * Generic webhook: the alert as JSON, signed like our own intake with Standard Webhooks (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), so a receiver can
 * verify it with any Standard Webhooks library and dedupe retries on `webhook-id`.
 */
import { Webhook } from 'standardwebhooks';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';
import { DeliveryError, type Notifier } from './notifier.ts';
import { postJson } from './http-notify.ts';

/** Body of a webhook delivery. */
export interface WebhookPayload {
  /** "alert.opened", "alert.escalated", "alert.resolved" or "alert.test". */
  type: string;
  timestamp: string;
  data: { alert: unknown };
}

/** @param clock signing time: receivers check it against their own clock (±5 minutes), so use the real one. */
export function webhookNotifier(fetch: SafeFetch, clock: Clock = systemClock): Notifier {
  return {
    async send(channel, message, deliveryId) {
      const { url, secret } = channel.config;
      if (!url || !secret) throw new DeliveryError('the channel has no URL or secret', null, false);
      const now = new Date(clock.now());
      const payload: WebhookPayload = { type: `alert.${message.event}`, timestamp: now.toISOString(), data: { alert: message.alert } };
      const body = JSON.stringify(payload);
      const id = `alert_delivery_${deliveryId}`;
      const signature = new Webhook(secret).sign(id, now, body);
      return postJson(fetch, url, body, { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature });
    },
  };
}
