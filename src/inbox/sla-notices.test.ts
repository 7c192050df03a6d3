import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { User } from '../accounts/user.repository.ts';
import type { AlertChannel } from '../alerts/alert-channel.repository.ts';
import type { Case } from './case.repository.ts';
import { noticeText, planSlaNotices, type Announcement } from './sla-notices.ts';

const user = (id: number, role: User['role'], disabled = false): User => ({ id, email: `u${id}@acme.test`, name: `U${id}`, role, available: true, disabled, createdAt: 0 });
const channel = (id: number, minSeverity: AlertChannel['minSeverity'], enabled = true): AlertChannel => ({ id, workspaceId: 1, kind: 'webhook', name: `ch${id}`, config: { url: 'https://hooks.example/x', secret: 'whsec_x' }, minSeverity, enabled, createdAt: 0 });
const kase = { id: 7, workspaceId: 1, subject: 'Blender broken' } as Case;
const clock = (state: 'warning' | 'breached', objective: 'first_response' | 'resolution' = 'first_response') => ({ objective, state, targetMs: 3_600_000, elapsedMs: 3_000_000, dueAt: Date.UTC(2026, 10, 23, 14, 5) });
const warn: Announcement = { clock: clock('warning'), flag: 'first_response:warning' };
const breach: Announcement = { clock: clock('breached'), flag: 'first_response:breached' };
const users = [user(1, 'admin'), user(2, 'agent'), user(3, 'agent'), user(4, 'admin', true)];
const summary = (ns: ReturnType<typeof planSlaNotices>) => ns.map((n) => `${n.kind} ${n.delivery} ${n.userId ?? `ch${n.channelId}`} ${n.detail.because}`);

describe('SLA notice recipients', () => {
  it('warns the assignee only, in the app and by e-mail', () => {
    const ns = planSlaNotices(kase, [warn], { users, channels: [channel(1, 'warning')], assigneeId: 2, escalatedTo: null, email: true });
    assert.deepEqual(summary(ns), ['sla_warning in_app 2 assignee', 'sla_warning email 2 assignee']);
    assert.deepEqual(ns.map((n) => n.dedupeKey), ['7:first_response:warning:user:2:in_app', '7:first_response:warning:user:2:email']);
  });

  it('warns the active admins when nobody is assigned, and sends no e-mail without SMTP', () => {
    assert.deepEqual(summary(planSlaNotices(kase, [warn], { users, channels: [], assigneeId: null, escalatedTo: null, email: false })), ['sla_warning in_app 1 admin-unassigned']);
  });

  it('escalates to the escalation user, every active admin and the channels that take warnings', () => {
    const channels = [channel(1, 'warning'), channel(2, 'critical'), channel(3, 'info', false), channel(4, 'info')];
    const ns = planSlaNotices(kase, [breach], { users, channels, assigneeId: 3, escalatedTo: 3, email: false });
    assert.deepEqual(summary(ns), ['sla_breached in_app 3 escalation-user', 'sla_breached in_app 1 admin', 'sla_breached channel ch1 alert-channel', 'sla_breached channel ch4 alert-channel']);
  });

  it('tells a deactivated assignee nothing', () => {
    assert.deepEqual(summary(planSlaNotices(kase, [breach], { users, channels: [], assigneeId: 4, escalatedTo: null, email: false })), ['sla_breached in_app 1 admin-unassigned']);
  });

  it('says what is due, by when and why the reader is told', () => {
    const { subject, text } = noticeText({ kind: 'sla_warning', objective: 'first_response', caseId: 7, workspaceId: 1, detail: { subject: 'Blender broken', dueAt: Date.UTC(2026, 10, 23, 14, 5), elapsedMs: 3_000_000, targetMs: 3_600_000, because: 'assignee' } });
    assert.equal(subject, 'SLA warning: first response of case #7 due 2026-11-23 14:05 UTC');
    assert.match(text, /Target 60 min, used 50 min \(business time\)\.\nYou are told as the assignee\.\n\nOpen it in Earshot: \/w\/1\/inbox\?case=7/);
  });
});
