import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addBusinessMs, businessMsBetween, zonedTime, type BusinessHours } from './business-hours.ts';
import { slaClocks, DEFAULT_SLA } from './sla.ts';
import { computePriority, ordinal } from './priority.ts';

const berlin: BusinessHours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('business hours', () => {
  it('maps local wall time to instants across DST', () => {
    assert.equal(zonedTime(2026, 3, 27, 9, 0, 'Europe/Berlin'), at('2026-03-27T08:00:00Z')); // CET
    assert.equal(zonedTime(2026, 3, 30, 9, 0, 'Europe/Berlin'), at('2026-03-30T07:00:00Z')); // CEST
  });

  it('counts only working time, skipping nights and weekends', () => {
    // Friday 16:00 Berlin (15:00Z) → Monday 10:00 Berlin (08:00Z): 1 h Friday + 1 h Monday.
    assert.equal(businessMsBetween(at('2026-11-20T15:00:00Z'), at('2026-11-23T09:00:00Z'), berlin), 2 * H);
    assert.equal(businessMsBetween(at('2026-11-21T10:00:00Z'), at('2026-11-22T20:00:00Z'), berlin), 0);
    assert.equal(businessMsBetween(5, 2, berlin), 0);
    assert.equal(businessMsBetween(0, 10, null), 10);
  });

  it('adds working time: an hour before close on Friday is due Monday morning', () => {
    assert.equal(addBusinessMs(at('2026-11-20T15:30:00Z'), 2 * H, berlin), at('2026-11-23T09:30:00Z'));
    // Arriving on Saturday: the clock starts Monday 09:00 Berlin.
    assert.equal(addBusinessMs(at('2026-11-21T12:00:00Z'), H, berlin), at('2026-11-23T09:00:00Z'));
    assert.equal(addBusinessMs(100, 50, null), 150);
  });
});

describe('SLA clocks', () => {
  const opened = at('2026-11-23T09:00:00Z');
  const base = { openedAt: opened, firstResponseAt: null, awaitingSince: opened, pendingSince: null, pausedMs: 0, resolvedAt: null };

  it('warns before and breaches after the first-response target', () => {
    const policy = { ...DEFAULT_SLA, firstResponseMinutes: 60, warnBeforeMinutes: 15 };
    assert.equal(slaClocks(base, policy, opened + 30 * 60_000)[0]!.state, 'ok');
    assert.equal(slaClocks(base, policy, opened + 50 * 60_000)[0]!.state, 'warning');
    const late = slaClocks(base, policy, opened + 61 * 60_000)[0]!;
    assert.deepEqual([late.state, late.dueAt], ['breached', opened + H]);
    assert.equal(slaClocks({ ...base, firstResponseAt: opened + 10 * 60_000 }, policy, opened + 5 * H)[0]!.state, 'met');
  });

  it('pauses while pending the customer and moves the due time by the pause', () => {
    const pending = { ...base, firstResponseAt: opened + 60_000, awaitingSince: null, pendingSince: opened + H };
    const resolution = slaClocks(pending, DEFAULT_SLA, opened + 100 * H).find((c) => c.objective === 'resolution')!;
    assert.deepEqual([resolution.state, resolution.elapsedMs], ['paused', H]);
    const resumed = { ...pending, pendingSince: null, pausedMs: 10 * H };
    const r2 = slaClocks(resumed, DEFAULT_SLA, opened + 12 * H).find((c) => c.objective === 'resolution')!;
    assert.deepEqual([r2.elapsedMs, r2.dueAt], [2 * H, opened + DEFAULT_SLA.resolutionMinutes * 60_000 + 10 * H]);
  });

  it('runs a next-response clock for a follow-up after the first reply', () => {
    const c = { ...base, firstResponseAt: opened + 60_000, awaitingSince: opened + 2 * H };
    const next = slaClocks(c, DEFAULT_SLA, opened + 3 * H).find((k) => k.objective === 'next_response')!;
    assert.deepEqual([next.state, next.elapsedMs], ['ok', H]);
  });
});

describe('priority', () => {
  it('explains each factor and ranks a repeated churn threat from a big account highest', () => {
    const calm = computePriority({ sentiment: { label: 'neutral', score: 0.8 }, followers: 10, intents: ['question'], repeatCount: 0 });
    const angry = computePriority({ sentiment: { label: 'negative', score: 0.9 }, followers: 250_000, intents: ['complaint', 'churn_threat'], repeatCount: 2 });
    assert.ok(angry.score > calm.score);
    assert.deepEqual(angry.factors.map((f) => f.name), ['negativity', 'reach', 'intent', 'repeat']);
    assert.equal(angry.factors[2]!.because, 'churn threat');
    assert.equal(angry.factors[3]!.because, '3rd case in 21 days');
    assert.ok(angry.score <= 100 && calm.score > 0);
    assert.deepEqual([ordinal(1), ordinal(2), ordinal(11), ordinal(23)], ['1st', '2nd', '11th', '23rd']);
  });
});

describe('intake cursor on PostgreSQL', () => {
  it('takes only the leading mentions that arrived long enough ago', async () => {
    const { settledPrefix } = await import('./intake.service.ts');
    const m = (id: number, ingestedAt: number) => ({ id, ingestedAt });
    assert.deepEqual(settledPrefix([m(1, 0), m(2, 10), m(3, 95), m(4, 20)], 100, 30).map((x) => x.id), [1, 2]);
    assert.deepEqual(settledPrefix([m(1, 0)], 100, 0).map((x) => x.id), [1]);
    assert.deepEqual(settledPrefix([m(1, 90)], 100, 30), []);
  });
});
