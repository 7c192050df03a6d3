/** The HTTP part shared by the webhook and Slack notifiers: POST JSON through the SSRF guard, classify the answer. */
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { AppError, errorMessage } from '../../lib/errors.ts';
import { DeliveryError, retryableStatus } from './notifier.ts';

export async function postJson(fetch: SafeFetch, url: string, body: string, headers: Record<string, string>): Promise<number> {
  let status: number;
  try {
    status = (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status;
  } catch (err) {
    // A refused destination (private address, bad URL) will be refused again: no retry.
    const refused = err instanceof AppError && err.code === 'fetch_refused';
    throw new DeliveryError(errorMessage(err), null, !refused);
  }
  if (status >= 200 && status < 300) return status;
  throw new DeliveryError(`the target answered HTTP ${status}`, status, retryableStatus(status));
}
