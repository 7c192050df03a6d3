/**
 * The demo workspace created on first start of an empty database (`earshot serve --demo`): real airline
 * and customer-support tweets replayed live (see datasets/README.md), with one own brand and competitors.
 */
import type { AppContext } from '../app-context.ts';
import { insertWorkspace, listWorkspaces } from '../workspaces/workspace.repository.ts';
import { createBrand } from '../brands/brand.service.ts';
import { createSource } from '../sources/source.service.ts';

const BRANDS = [
  { name: 'United', kind: 'own', query: '@united OR "united airlines" OR #unitedairlines' },
  { name: 'American Airlines', kind: 'competitor', query: '@AmericanAir OR "american airlines"' },
  { name: 'Delta', kind: 'competitor', query: '@Delta OR @DeltaAssist OR "delta airlines"' },
  { name: 'Southwest', kind: 'competitor', query: '@SouthwestAir OR "southwest airlines"' },
  { name: 'US Airways', kind: 'competitor', query: '@USAirways OR "us airways"' },
  { name: 'JetBlue', kind: 'competitor', query: '@JetBlue OR jetblue' },
  { name: 'Virgin America', kind: 'competitor', query: '@VirginAmerica OR "virgin america"' },
  { name: 'Iberia', kind: 'competitor', query: '@Iberia OR iberia' },
  { name: 'Ryanair', kind: 'competitor', query: '@Ryanair OR ryanair' },
  { name: 'Vueling', kind: 'competitor', query: '@vueling OR vueling' },
  { name: 'British Airways', kind: 'competitor', query: '@British_Airways OR "british airways"' },
  { name: 'Apple Support', kind: 'competitor', query: '@AppleSupport' },
  { name: 'Amazon Help', kind: 'competitor', query: '@AmazonHelp' },
  { name: 'Spotify', kind: 'competitor', query: '@SpotifyCares' },
] as const;

const SOURCES = [
  { name: 'Demo: US airline tweets (2015)', dataset: 'airline-en' },
  { name: 'Demo: Spanish airline tweets (2017)', dataset: 'airline-es' },
  { name: 'Demo: customer support threads (2017)', dataset: 'twcs' },
] as const;

/** Creates the demo workspace when the database has no workspace yet. @returns its id, or null if skipped. */
export async function seedDemoIfEmpty(ctx: AppContext): Promise<number | null> {
  if ((await listWorkspaces(ctx.db.kysely)).length > 0) return null;
  const ws = await insertWorkspace(ctx.db.kysely, 'Demo: airlines & customer support', ctx.clock.now());
  for (const b of BRANDS) await createBrand(ctx, ws.id, { ...b, languages: [] });
  for (const s of SOURCES) {
    await createSource(ctx, ws.id, { kind: 'demo', name: s.name, settings: { dataset: s.dataset, speed: ctx.config.demo.speed } });
  }
  ctx.logger.info({ workspaceId: ws.id }, 'created the demo workspace: real public tweets are replayed live');
  return ws.id;
}
