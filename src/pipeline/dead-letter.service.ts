/**
 * Retrying and discarding dead letters. A retry runs the item through the whole pipeline again — as it
 * was, or as corrected by the operator — and the dead letter is closed only when the item got through.
 */
import type { AppContext } from '../app-context.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import { getSourceById } from '../sources/source.repository.ts';
import type { SourceItem } from './source.ts';
import { getDeadLetter, markDeadLetter, type DeadLetter } from './dead-letter.repository.ts';

export interface RetryResult {
  deadLetter: DeadLetter;
  outcome: 'stored' | 'already_stored' | 'filtered' | 'failed';
  error?: string;
  mentionId?: number;
}

function looksLikeItem(v: unknown): v is SourceItem {
  return !!v && typeof v === 'object' && 'externalId' in v && ('text' in v || 'title' in v);
}

/** @throws NotFoundError; ValidationError when the payload is not an item and no corrected item is given. */
export async function retryDeadLetter(ctx: AppContext, workspaceId: number, id: number, corrected?: unknown): Promise<RetryResult> {
  const dl = await getDeadLetter(ctx.db.kysely, workspaceId, id);
  if (dl.status !== 'pending') throw new AppError('conflict', `dead letter ${id} is already ${dl.status}`, 409);
  const item = corrected ?? dl.payload;
  if (!looksLikeItem(item)) {
    throw new ValidationError('This record could not be read by its source; send a corrected item ({externalId, text, ...}) to retry it', { item: 'required' });
  }
  if (dl.sourceId === null) throw new ValidationError('the source of this item was deleted; it cannot be retried', { sourceId: 'deleted' });
  const source = await getSourceById(ctx.db.kysely, workspaceId, dl.sourceId);
  const r = await ctx.pipeline.process(
    { workspaceId, sourceId: source.id, sourceKind: source.kind, fixedBrandId: source.brandId },
    { items: [item] },
    { deadLetters: false, wantMentions: true },
  );
  const now = ctx.clock.now();
  if (r.failed) {
    const error = r.failures[0]?.error ?? 'failed again';
    await markDeadLetter(ctx.db.kysely, id, { status: 'pending', error, attempted: true, ...(corrected ? { payload: corrected } : {}) }, now);
    return { deadLetter: await getDeadLetter(ctx.db.kysely, workspaceId, id), outcome: 'failed', error };
  }
  await markDeadLetter(ctx.db.kysely, id, { status: 'retried', attempted: true, ...(corrected ? { payload: corrected } : {}) }, now);
  const outcome = r.stored ? 'stored' : r.filtered ? 'filtered' : 'already_stored';
  return { deadLetter: await getDeadLetter(ctx.db.kysely, workspaceId, id), outcome, ...(r.mentions[0] ? { mentionId: r.mentions[0].id } : {}) };
}

export async function discardDeadLetter(ctx: AppContext, workspaceId: number, id: number): Promise<DeadLetter> {
  await getDeadLetter(ctx.db.kysely, workspaceId, id);
  await markDeadLetter(ctx.db.kysely, id, { status: 'discarded' }, ctx.clock.now());
  return getDeadLetter(ctx.db.kysely, workspaceId, id);
}
