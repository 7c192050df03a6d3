/**
 * The notifier contract: one implementation per channel kind (webhook, Slack, e-mail). Notifiers do network
 * I/O only; they are called by the dispatcher after the alert's transaction has committed, never inside it.
 */
import type { Alert } from '../alert.ts';
import type { AlertChannel } from '../alert-channel.repository.ts';

/** What a channel is told: the event and the alert as it was when the event happened. */
export interface AlertMessage {
  event: 'opened' | 'escalated' | 'resolved' | 'test';
  alert: Alert;
}

/**
 * A failed send. `retry: false` for answers that will not change on a retry (a 404 or 401 from the target,
 * a recipient the SMTP server refuses): the delivery is marked failed at once.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retry: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * Sends one message to one channel.
 * @param deliveryId stable across retries of the same delivery (receivers dedupe on it).
 * @returns the target's status (HTTP status, SMTP reply code) on success.
 * @throws DeliveryError when the target refused or could not be reached.
 */
export interface Notifier {
  send(channel: AlertChannel, message: AlertMessage, deliveryId: number): Promise<number | null>;
}

/** HTTP statuses worth retrying: the target may recover (5xx), asks us to slow down (429) or timed out (408). */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

const EVENT_WORDS: Record<AlertMessage['event'], string> = { opened: 'New alert', escalated: 'Alert growing', resolved: 'Alert resolved', test: 'Test alert' };

/** Short headline shared by every channel: "[critical] New alert: Negativity spike: United". */
export function headline(m: AlertMessage): string {
  return `[${m.alert.severity}] ${EVENT_WORDS[m.event]}: ${m.alert.title}`;
}
