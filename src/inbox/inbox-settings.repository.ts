/** Stores inbox settings and the intake cursor. Only this module touches `inbox_settings`. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { parseJson } from '../db/json.ts';
import { openSecrets, sealSecrets } from '../lib/secret-box.ts';
import { inboxDb } from './inbox-tables.ts';
import { defaultSettings, intakeRulesSchema, replyWebhookSchema, slaPolicySchema, type InboxSettings } from './inbox-settings.ts';

type Db = Kysely<Database>;

export async function getInboxSettings(db: Db, workspaceId: number): Promise<InboxSettings & { cursor: number }> {
  const row = await inboxDb(db).selectFrom('inbox_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) return { ...defaultSettings(), cursor: 0 };
  const rules = intakeRulesSchema.safeParse(parseJson(row.rules, {}));
  const sla = slaPolicySchema.safeParse(parseJson(row.sla, {}));
  // The webhook secret is stored sealed (lib/secret-box.ts), like source credentials.
  const hook = row.reply_webhook ? replyWebhookSchema.safeParse(openSecrets(parseJson(row.reply_webhook, {}))) : null;
  const d = defaultSettings();
  return { rules: rules.success ? rules.data : d.rules, sla: sla.success ? sla.data : d.sla, replyWebhook: hook?.success ? hook.data : null, cursor: row.cursor };
}

async function ensureRow(db: Db, workspaceId: number, now: number): Promise<void> {
  const d = defaultSettings();
  await inboxDb(db)
    .insertInto('inbox_settings')
    .values({ workspace_id: workspaceId, rules: JSON.stringify(d.rules), sla: JSON.stringify(d.sla), reply_webhook: null, updated_at: now })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute();
}

export async function saveInboxSettings(db: Db, workspaceId: number, s: InboxSettings, now: number): Promise<void> {
  await ensureRow(db, workspaceId, now);
  await inboxDb(db)
    .updateTable('inbox_settings')
    .set({ rules: JSON.stringify(s.rules), sla: JSON.stringify(s.sla), reply_webhook: s.replyWebhook ? JSON.stringify(sealSecrets({ ...s.replyWebhook }, ['secret'])) : null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .execute();
}

/**
 * Moves the intake cursor from `from` to `to` only if nobody moved it meanwhile (another process).
 * @returns false when the cursor had moved: the caller's transaction must be rolled back.
 */
export async function advanceCursor(db: Db, workspaceId: number, from: number, to: number, now: number): Promise<boolean> {
  await ensureRow(db, workspaceId, now);
  const r = await inboxDb(db).updateTable('inbox_settings').set({ cursor: to }).where('workspace_id', '=', workspaceId).where('cursor', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
