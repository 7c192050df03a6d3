/**
 * A running Earshot with a team (admin Ada, agents Bo and Cy, viewer Vi), a workspace with an own brand
 * (Acme) and a competitor (Globex), and helpers to feed mentions through the real pipeline as a source
 * would. Intake runs when a test calls `intake()` (INBOX_JOBS=false keeps timers out of the tests).
 */
import crypto from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app.ts';
import { seedTeam, type Session } from '../support/session.ts';
import { languageEnricher } from '../../src/enrich/language.enricher.ts';
import type { Enricher } from '../../src/enrich/enricher.ts';
import type { SourceItem } from '../../src/pipeline/source.ts';
import type { DialectName } from '../../src/db/connection.ts';

/** Stands in for the trained models: a few cue words give the intents and sentiment the inbox reacts to. */
export const cueEnricher: Enricher = {
  name: 'test-cues',
  enrich(input) {
    const t = input.text.toLowerCase();
    const intents = [
      ...(/broken|refund|never arrived|kaputt|terrible/.test(t) ? ['complaint'] : []),
      ...(/cancel|switching to|kündige/.test(t) ? ['churn_threat'] : []),
      ...(/\?/.test(t) ? ['question'] : []),
      ...(/love|thanks|great/.test(t) ? ['praise'] : []),
    ];
    const negative = intents.includes('complaint') || intents.includes('churn_threat');
    return { intents, sentiment: negative ? { label: 'negative', score: 0.9 } : intents.includes('praise') ? { label: 'positive', score: 0.9 } : { label: 'neutral', score: 0.6 } };
  },
};

export interface InboxFixture {
  t: TestApp;
  team: Record<'admin' | 'bo' | 'cy' | 'vi', Session>;
  ws: number;
  acme: number;
  globex: number;
  /** Creates a source through the API (as the admin); returns its id. */
  source(kind: string, name: string, settings: Record<string, unknown>): Promise<number>;
  /** Stores items through the pipeline as source `sourceId` would, then runs the case intake. */
  ingest(sourceId: number, kind: string, items: SourceItem[]): Promise<void>;
  /** Runs the case intake only. */
  intake(): Promise<void>;
  /** Runs all inbox background work once: intake, SLA watch, reply retries. */
  jobs(): Promise<void>;
  close(): Promise<void>;
}

/** `enrichers` defaults to language identification plus the cue words above. */
export async function startInbox(dialect: DialectName, env: Record<string, string> = {}, enrichers: Enricher[] = [languageEnricher, cueEnricher]): Promise<InboxFixture> {
  const t = await startTestApp(dialect, { INBOX_JOBS: 'false', INBOX_SETTLE_SECONDS: '0', FETCH_ALLOW_PRIVATE: 'loopback', SECRET_KEY: crypto.randomBytes(32).toString('base64'), ...env }, { enrichers });
  const team = (await seedTeam(t, [
    { email: 'bo@acme.test', name: 'Bo Agent', role: 'agent' },
    { email: 'cy@acme.test', name: 'Cy Agent', role: 'agent' },
    { email: 'vi@acme.test', name: 'Vi Viewer', role: 'viewer' },
  ])) as InboxFixture['team'];
  const ws = (await team.admin.api<{ id: number }>('POST', '/api/workspaces', { name: 'Acme care' })).body.id;
  const acme = (await team.admin.api<{ id: number }>('POST', `/api/workspaces/${ws}/brands`, { name: 'Acme', query: 'acme' })).body.id;
  const globex = (await team.admin.api<{ id: number }>('POST', `/api/workspaces/${ws}/brands`, { name: 'Globex', kind: 'competitor', query: 'globex' })).body.id;
  const intake = () => t.app.ctx.inbox.intakeNow();
  return {
    t, team, ws, acme, globex, intake,
    jobs: () => t.app.ctx.inbox.runOnce(),
    async source(kind, name, settings) {
      const r = await team.admin.api<{ id: number }>('POST', `/api/workspaces/${ws}/sources`, { kind, name, settings });
      if (r.status !== 201) throw new Error(`source ${name}: ${JSON.stringify(r.body)}`);
      return r.body.id;
    },
    async ingest(sourceId, kind, items) {
      await t.app.ctx.pipeline.process({ workspaceId: ws, sourceId, sourceKind: kind, fixedBrandId: null }, { items, cursor: null });
      await intake();
    },
    close: () => t.close(),
  };
}

export type CaseBody = {
  id: number; status: string; assigneeId: number | null; priority: number; personId: number; escalated: boolean;
  priorityFactors: { name: string; because: string }[]; firstResponseAt: number | null; tags: string[];
  sla: { objective: string; state: string }[];
  mentions: { id: number; text: string; externalId: string }[];
  replies: { id: number; status: string; text: string; lastError: string | null; externalId: string | null; attempts: number }[];
  notes: { text: string }[]; events: { kind: string; detail: Record<string, unknown> | null }[];
};
