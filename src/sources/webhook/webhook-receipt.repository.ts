/** Delivery ids already received per webhook source (Standard Webhooks idempotency keys). */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export async function seenDelivery(db: Kysely<Database>, sourceId: number, messageId: string): Promise<boolean> {
  return !!(await db.selectFrom('webhook_receipts').select('message_id').where('source_id', '=', sourceId).where('message_id', '=', messageId).executeTakeFirst());
}

export async function rememberDelivery(db: Kysely<Database>, sourceId: number, messageId: string, now: number): Promise<void> {
  await db.insertInto('webhook_receipts').values({ source_id: sourceId, message_id: messageId, received_at: now }).onConflict((oc) => oc.doNothing()).execute();
}

