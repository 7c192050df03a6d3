import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/test-db.ts';
import { startInbox, type CaseBody, type InboxFixture } from './inbox-fixture.ts';

const H = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`Inbox cases (${dialect})`, () => {
    let f: InboxFixture;
    let hook: number;
    let firstCase: number;
    const now = () => f.t.app.ctx.clock.now();
    const cases = async (query = '') => (await f.team.bo.api<{ items: CaseBody[] }>('GET', `/api/workspaces/${f.ws}/cases${query}`)).body.items;
    const view = async (id: number) => (await f.team.bo.api<CaseBody>('GET', `/api/workspaces/${f.ws}/cases/${id}`)).body;

    before(async () => {
      f = await startInbox(dialect);
      hook = await f.source('webhook', 'Reviews', {});
    });
    after(() => f.close());

    it('opens a case for a complaint about an own brand, assigned round-robin, with the priority explained', async () => {
      await f.ingest(hook, 'webhook', [
        { externalId: 'r1', text: 'My Acme blender arrived broken, I want a refund', author: { handle: 'jon', name: 'Jon Snow', followers: 12_000 }, publishedAt: now() - 60_000 },
        { externalId: 'r2', text: 'I love my Acme kettle, thanks!', author: { handle: 'sam' } },
        { externalId: 'r3', text: 'Globex support is terrible', author: { handle: 'ned' } },
        { externalId: 'r4', text: 'Is the Acme store open on Sunday?', author: { handle: 'arya', followers: 3 } },
      ]);
      const open = await cases();
      assert.equal(open.length, 2, 'praise and the competitor complaint open no case');
      const complaint = open.find((c) => c.priorityFactors.some((p) => p.because === 'complaint'))!;
      firstCase = complaint.id;
      assert.deepEqual(open.map((c) => c.id), [complaint.id, open.find((c) => c.id !== complaint.id)!.id], 'the complaint from a bigger account ranks first');
      assert.deepEqual(complaint.priorityFactors.map((p) => p.because), ['negative (confidence 0.90)', '12,000 followers', 'complaint', 'first case in 21 days']);
      assert.deepEqual(new Set(open.map((c) => c.assigneeId)), new Set([f.team.bo.userId, f.team.cy.userId]), 'two cases, two agents');
      assert.equal(complaint.sla.find((s) => s.objective === 'first_response')!.state, 'ok');
    });

    it('joins follow-ups of the same person and of the thread to the open case', async () => {
      await f.ingest(hook, 'webhook', [
        { externalId: 'r5', text: 'Still waiting about my Acme blender', author: { handle: 'jon' } },
        { externalId: 'r6', text: 'Acme: same problem here, it never arrived', author: { handle: 'jon-alt' }, parentExternalId: 'r1' },
      ]);
      const c = await view(firstCase);
      assert.deepEqual(c.mentions.map((m) => m.externalId), ['r1', 'r5', 'r6']);
      assert.equal((await cases()).length, 2);
    });

    it('lets agents change status, tags, assignee and write notes; pending the customer pauses the SLA', async () => {
      const patch = await f.team.bo.api<CaseBody>('PATCH', `/api/workspaces/${f.ws}/cases/${firstCase}`, { status: 'pending_customer', tags: ['shipping', 'refund'], assigneeId: f.team.cy.userId });
      assert.equal(patch.status, 200, JSON.stringify(patch.body));
      assert.deepEqual([patch.body.status, patch.body.tags, patch.body.assigneeId], ['pending_customer', ['shipping', 'refund'], f.team.cy.userId]);
      assert.ok(patch.body.sla.every((s) => s.state === 'paused'));
      assert.equal((await f.team.bo.api('POST', `/api/workspaces/${f.ws}/cases/${firstCase}/notes`, { text: 'Called the warehouse' })).status, 201);
      const c = await view(firstCase);
      assert.deepEqual(c.notes.map((n) => n.text), ['Called the warehouse']);
      assert.ok(c.events.some((e) => e.kind === 'assigned' && e.detail?.assigneeId === f.team.cy.userId));
      assert.deepEqual((await cases('?tag=refund')).map((x) => x.id), [firstCase]);
      // The customer writes again: the case reopens and the clock runs.
      await f.ingest(hook, 'webhook', [{ externalId: 'r7', text: 'Acme? Anyone?', author: { handle: 'jon' } }]);
      assert.equal((await view(firstCase)).status, 'open');
    });

    it('keeps viewers from changing cases and rejects unknown assignees', async () => {
      const r = await f.team.vi.api<{ error: { code: string } }>('PATCH', `/api/workspaces/${f.ws}/cases/${firstCase}`, { status: 'resolved' });
      assert.deepEqual([r.status, r.body.error.code], [403, 'forbidden']);
      assert.equal((await f.team.vi.api('POST', `/api/workspaces/${f.ws}/cases/${firstCase}/notes`, { text: 'hi' })).status, 403);
      assert.equal((await f.team.bo.api('PATCH', `/api/workspaces/${f.ws}/cases/${firstCase}`, { assigneeId: f.team.vi.userId })).status, 400);
      assert.equal((await f.team.vi.api('GET', `/api/workspaces/${f.ws}/cases/${firstCase}`)).status, 200);
    });

    it('warns before an SLA breach and escalates after it (once), reassigning to the escalation user', async () => {
      const put = await f.team.admin.api('PUT', `/api/workspaces/${f.ws}/inbox/settings`, { sla: { firstResponseMinutes: 60, warnBeforeMinutes: 15, escalateToUserId: f.team.admin.userId } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal((await f.team.bo.api('PUT', `/api/workspaces/${f.ws}/inbox/settings`, { sla: { firstResponseMinutes: 5 } })).status, 403);
      await f.ingest(hook, 'webhook', [
        { externalId: 'late', text: 'Acme order never arrived, two hours ago I asked', author: { handle: 'old' }, publishedAt: now() - 2 * H },
        { externalId: 'soon', text: 'Acme parcel arrived broken', author: { handle: 'soon' }, publishedAt: now() - 50 * 60_000 },
      ]);
      await f.jobs();
      await f.jobs(); // a second pass announces nothing new
      const all = await cases();
      const late = await view(all.find((c) => c.escalated)!.id);
      assert.deepEqual([late.mentions[0]!.externalId, late.assigneeId], ['late', f.team.admin.userId]);
      assert.deepEqual(late.events.filter((e) => e.kind.startsWith('sla_') || e.kind === 'escalated').map((e) => e.kind), ['sla_breached', 'escalated']);
      const warned = (await Promise.all(all.map((c) => view(c.id)))).filter((c) => c.events.some((e) => e.kind === 'sla_warning'));
      assert.deepEqual(warned.map((c) => c.mentions[0]!.externalId), ['soon']);
      assert.equal(all[0]!.id, late.id, 'escalated cases lead the queue');
    });

    it('links one person across channels by e-mail address, merges and splits by hand, and flags repeat complaints', async () => {
      const form = await f.source('webhook', 'Contact form', {});
      await f.ingest(form, 'webhook', [{ externalId: 'f1', text: 'Acme invoice is wrong, refund please', author: { handle: 'Jon@Customer.test', name: 'Jon Snow' } }]);
      await f.ingest(hook, 'webhook', [{ externalId: 'f2', text: 'Acme I will cancel if nobody answers', author: { handle: 'jon@customer.test' } }]);
      const formCase = (await cases()).find((c) => c.priorityFactors.some((p) => p.because === 'churn threat'))!;
      const person = (await f.team.bo.api<{ identities: { handle: string; link: string }[]; cases: unknown[] }>('GET', `/api/workspaces/${f.ws}/people/${formCase.personId}`)).body;
      assert.deepEqual(person.identities.map((i) => [i.handle, i.link]), [['Jon@Customer.test', 'auto-new'], ['jon@customer.test', 'auto-email']]);
      // Jon (twitter-ish handle "jon") is the same human: merge, then split the form identity off again.
      const jonCase = await view(firstCase);
      const merged = await f.team.bo.api<{ identities: { authorId: number }[] }>('POST', `/api/workspaces/${f.ws}/people/${jonCase.personId}/merge`, { fromId: formCase.personId });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.equal(merged.body.identities.length, 3);
      for (const id of [firstCase, formCase.id]) await f.team.bo.api('PATCH', `/api/workspaces/${f.ws}/cases/${id}`, { status: 'resolved' });
      await f.ingest(hook, 'webhook', [{ externalId: 'f3', text: 'Acme blender broken again', author: { handle: 'jon' } }]);
      const profile = await f.team.bo.api<{ repeatComplainer: string | null; churnRisk: { level: string; reasons: string[] }; cases: unknown[]; mentions: unknown[] }>('GET', `/api/workspaces/${f.ws}/people/${jonCase.personId}`);
      assert.equal(profile.body.repeatComplainer, '3rd complaint in 21 days');
      assert.equal(profile.body.churnRisk.level, 'high', JSON.stringify(profile.body.churnRisk));
      const split = await f.team.bo.api<{ id: number; identities: { handle: string }[] }>('POST', `/api/workspaces/${f.ws}/people/${jonCase.personId}/split`, { authorId: merged.body.identities.at(-1)!.authorId });
      assert.equal(split.status, 201, JSON.stringify(split.body));
      assert.equal(split.body.identities.length, 1);
      assert.equal((await f.team.vi.api('POST', `/api/workspaces/${f.ws}/people/${jonCase.personId}/merge`, { fromId: split.body.id })).status, 403);
    });

    it('reports metrics per agent, brand and channel', async () => {
      const r = await f.team.vi.api<{ overall: { cases: number; answered: number }; groups: { key: string; metrics: { cases: number } }[] }>('GET', `/api/workspaces/${f.ws}/metrics/inbox?groupBy=agent`);
      assert.equal(r.status, 200);
      assert.equal(r.body.overall.answered, 0);
      assert.equal(r.body.groups.reduce((n, g) => n + g.metrics.cases, 0), r.body.overall.cases);
      assert.ok(r.body.overall.cases >= 5);
    });
  });
}
