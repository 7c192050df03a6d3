import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { DIALECTS } from '../support/test-db.ts';
import { startInbox, type CaseBody, type InboxFixture } from './inbox-fixture.ts';
import { startHttpStub, startSmtp, type HttpStub, type SmtpStub } from './stubs.ts';

const H = 3_600_000;
type NoticeBody = { id: number; caseId: number; kind: string; objective: string; delivery: string; status: string; target: string | null; subject: string; detail: { because: string }; readAt: number | null };
const addressOf = (m: SmtpStub['messages'][number]) => (m.to && !Array.isArray(m.to) ? m.to.value[0]!.address : null);

for (const dialect of DIALECTS) {
  describe(`SLA warnings and escalations notify people and channels (${dialect})`, () => {
    let f: InboxFixture;
    let smtp: SmtpStub;
    let stub: HttpStub;

    before(async () => {
      [smtp, stub] = await Promise.all([startSmtp(), startHttpStub()]);
      f = await startInbox(dialect, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_FROM: 'earshot@acme.test' });
    });
    after(async () => Promise.all([f.close(), smtp.close(), stub.close()]));

    it('tells the assignee before a breach, and the assignee, admins and alert channels after it, once each', async () => {
      const settings = await f.team.admin.api('PUT', `/api/workspaces/${f.ws}/inbox/settings`, { rules: { autoAssign: false }, sla: { firstResponseMinutes: 60, warnBeforeMinutes: 15 } });
      assert.equal(settings.status, 200, JSON.stringify(settings.body));
      const channel = await f.team.admin.api<{ id: number; config: { secret: string } }>('POST', `/api/workspaces/${f.ws}/alerts/channels`, { kind: 'webhook', name: 'Ops hook', url: `${stub.url}/hook` });
      assert.equal(channel.status, 201, JSON.stringify(channel.body));
      const critical = await f.team.admin.api('POST', `/api/workspaces/${f.ws}/alerts/channels`, { kind: 'webhook', name: 'Crisis only', url: `${stub.url}/hook`, minSeverity: 'critical' });
      assert.equal(critical.status, 201);
      const hook = await f.source('webhook', 'Reviews', {});
      const now = f.t.app.ctx.clock.now();
      await f.ingest(hook, 'webhook', [
        { externalId: 'late', text: 'Acme order never arrived, I asked two hours ago', author: { handle: 'old' }, publishedAt: now - 2 * H },
        { externalId: 'soon', text: 'Acme parcel arrived broken', author: { handle: 'soon' }, publishedAt: now - 50 * 60_000 },
      ]);
      const queue = (await f.team.bo.api<{ items: (CaseBody & { subject: string })[] }>('GET', `/api/workspaces/${f.ws}/cases`)).body.items;
      const idOf = async (externalId: string) => {
        for (const c of queue) if ((await f.team.bo.api<CaseBody>('GET', `/api/workspaces/${f.ws}/cases/${c.id}`)).body.mentions[0]!.externalId === externalId) return c.id;
        throw new Error(`no case for ${externalId}`);
      };
      const [late, soon] = [await idOf('late'), await idOf('soon')];
      for (const id of [late, soon]) assert.equal((await f.team.bo.api('PATCH', `/api/workspaces/${f.ws}/cases/${id}`, { assigneeId: f.team.bo.userId })).status, 200);

      await f.jobs();
      await f.jobs(); // a second pass (another process, the next tick) notifies nobody again

      // In-app: Bo (assignee) has the warning of "soon" and the breach of "late"; Ada (admin) only the breach.
      const bo = (await f.team.bo.api<{ items: NoticeBody[] }>('GET', '/api/notices')).body.items;
      assert.deepEqual(bo.map((n) => [n.caseId, n.kind, n.objective, n.detail.because]).sort(), [[late, 'sla_breached', 'first_response', 'assignee'], [soon, 'sla_warning', 'first_response', 'assignee']].sort());
      const ada = (await f.team.admin.api<{ items: NoticeBody[] }>('GET', '/api/notices')).body.items;
      assert.deepEqual(ada.map((n) => [n.caseId, n.kind, n.detail.because]), [[late, 'sla_breached', 'admin']]);
      assert.deepEqual((await f.team.cy.api<{ items: NoticeBody[] }>('GET', '/api/notices')).body.items, [], 'other agents are not told');

      // E-mail through the SMTP settings: one per person and announcement.
      const mails = smtp.messages.map((m) => [addressOf(m), m.subject]).sort();
      assert.deepEqual(mails, [
        ['ada@acme.test', `[Earshot] SLA breached: first response of case #${late} — escalated`],
        ['bo@acme.test', `[Earshot] SLA breached: first response of case #${late} — escalated`],
        ['bo@acme.test', smtp.messages.find((m) => m.subject?.includes('warning'))!.subject],
      ].sort());
      assert.match(smtp.messages.find((m) => m.subject?.includes('warning'))!.subject ?? '', new RegExp(`SLA warning: first response of case #${soon} due \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`));
      assert.match(smtp.messages.find((m) => m.subject?.includes('warning'))!.text ?? '', new RegExp(`/w/${f.ws}/inbox\\?case=${soon}`));

      // Escalation reaches the workspace's alert channel (signed), not the critical-only one; once.
      const calls = stub.calls.filter((c) => c.path === '/hook');
      assert.equal(calls.length, 1);
      const payload = new Webhook(channel.body.config.secret).verify(calls[0]!.body, calls[0]!.headers as Record<string, string>) as { type: string; data: { caseId: number; objective: string } };
      assert.deepEqual([payload.type, payload.data.caseId, payload.data.objective], ['inbox.sla_breached', late, 'first_response']);

      // The case shows who was told and how.
      const lateView = (await f.team.bo.api<CaseBody & { notices: NoticeBody[] }>('GET', `/api/workspaces/${f.ws}/cases/${late}`)).body;
      assert.deepEqual(lateView.notices.map((n) => [n.delivery, n.target, n.status]).sort(), [['channel', 'Ops hook', 'sent'], ['email', 'ada@acme.test', 'sent'], ['email', 'bo@acme.test', 'sent'], ['in_app', null, 'sent'], ['in_app', null, 'sent']].sort());

      // Reading a notice: it leaves the unread list; nobody can mark another user's notice.
      const first = bo[0]!;
      assert.equal((await f.team.admin.api('POST', `/api/notices/${first.id}/read`)).status, 404);
      assert.equal((await f.team.bo.api('POST', `/api/notices/${first.id}/read`)).status, 204);
      const unread = (await f.team.bo.api<{ items: NoticeBody[] }>('GET', '/api/notices?unread=true')).body.items;
      assert.deepEqual(unread.map((n) => n.id), bo.slice(1).map((n) => n.id));
    });
  });
}
