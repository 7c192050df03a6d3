/** Fills a saved reply for a case: the variant in the customer's language and the case's variables. */
import type { AppContext } from '../app-context.ts';
import type { Principal } from '../accounts/permissions.ts';
import { getUserById } from '../accounts/user.repository.ts';
import { getBrandById } from '../brands/brand.repository.ts';
import { getMentionsByIds } from './mention-lookup.repository.ts';
import { pickVariant, renderTemplate } from './reply-template.ts';
import { getTemplate } from './reply-template.repository.ts';
import * as cases from './case.repository.ts';

export async function renderCaseTemplate(ctx: AppContext, p: Principal, workspaceId: number, caseId: number, templateId: number, lang?: string): Promise<{ lang: string; text: string }> {
  const c = await cases.getCase(ctx.db.kysely, workspaceId, caseId);
  const t = await getTemplate(ctx.db.kysely, workspaceId, templateId);
  const ids = await cases.listCaseMentionIds(ctx.db.kysely, caseId);
  const last = (await getMentionsByIds(ctx.db.kysely, workspaceId, ids.slice(-1)))[0];
  const agent = p.userId ? await getUserById(ctx.db.kysely, p.userId) : null;
  const brand = c.brandId ? await getBrandById(ctx.db.kysely, workspaceId, c.brandId).catch(() => null) : null;
  const variant = pickVariant(t.variants, lang ?? last?.lang ?? null);
  const vars = {
    'customer.name': last?.author?.name ?? last?.author?.handle,
    'customer.handle': last?.author?.handle,
    'agent.name': agent?.name,
    'brand.name': brand?.name,
    'case.id': c.id,
  };
  return { lang: variant.lang, text: renderTemplate(variant.text, vars) };
}
