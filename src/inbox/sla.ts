/**
 * SLA objectives of a case, computed (pure) from the case's times and the workspace policy:
 * first response (from opening to the first reply that reached the customer), next response (from a
 * customer's follow-up to the next reply) and resolution (from opening to resolved). Time counts in
 * business hours; while the case is pending the customer, the clock is paused.
 */
import { addBusinessMs, businessMsBetween, type Schedule } from './business-hours.ts';

export interface SlaPolicy {
  enabled: boolean;
  /** null = around the clock. */
  businessHours: Schedule;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
  /** A warning is raised this long (business time) before a breach. */
  warnBeforeMinutes: number;
  /** After a breach the case is escalated: priority raised, and reassigned to this user when set. */
  escalateToUserId: number | null;
}

export const DEFAULT_SLA: SlaPolicy = {
  enabled: true,
  businessHours: null,
  firstResponseMinutes: 60,
  nextResponseMinutes: 240,
  resolutionMinutes: 3 * 24 * 60,
  warnBeforeMinutes: 15,
  escalateToUserId: null,
};

export type SlaObjective = 'first_response' | 'next_response' | 'resolution';
export type SlaState = 'ok' | 'warning' | 'breached' | 'paused' | 'met' | 'missed';

export interface SlaClock {
  objective: SlaObjective;
  state: SlaState;
  targetMs: number;
  /** Business ms used so far (or until the objective was met). */
  elapsedMs: number;
  /** When the objective breaches (null while paused or once decided). */
  dueAt: number | null;
}

/** The SLA-relevant times of a case. */
export interface CaseTimes {
  openedAt: number;
  firstResponseAt: number | null;
  awaitingSince: number | null;
  pendingSince: number | null;
  pausedMs: number;
  resolvedAt: number | null;
}

function clock(objective: SlaObjective, start: number, stop: number | null, pausedMs: number, paused: boolean, targetMs: number, policy: SlaPolicy, now: number): SlaClock {
  const schedule = policy.businessHours;
  const elapsedMs = Math.max(0, businessMsBetween(start, stop ?? now, schedule) - pausedMs);
  if (stop !== null) return { objective, state: elapsedMs <= targetMs ? 'met' : 'missed', targetMs, elapsedMs, dueAt: null };
  if (paused) return { objective, state: 'paused', targetMs, elapsedMs, dueAt: null };
  const dueAt = addBusinessMs(start, targetMs + pausedMs, schedule);
  const warnMs = policy.warnBeforeMinutes * 60_000;
  const state: SlaState = elapsedMs > targetMs ? 'breached' : targetMs - elapsedMs <= warnMs ? 'warning' : 'ok';
  return { objective, state, targetMs, elapsedMs, dueAt };
}

/** The clocks that apply to the case now (next response only while a follow-up waits after the first reply). */
export function slaClocks(c: CaseTimes, policy: SlaPolicy, now: number): SlaClock[] {
  if (!policy.enabled) return [];
  const paused = c.pendingSince !== null && c.resolvedAt === null;
  const pausedMs = c.pausedMs + (paused ? businessMsBetween(c.pendingSince!, now, policy.businessHours) : 0);
  const min = 60_000;
  const out = [clock('first_response', c.openedAt, c.firstResponseAt, pausedMs, paused && c.firstResponseAt === null, policy.firstResponseMinutes * min, policy, now)];
  if (c.firstResponseAt !== null && c.awaitingSince !== null && c.resolvedAt === null) {
    out.push(clock('next_response', c.awaitingSince, null, 0, paused, policy.nextResponseMinutes * min, policy, now));
  }
  out.push(clock('resolution', c.openedAt, c.resolvedAt, pausedMs, paused, policy.resolutionMinutes * min, policy, now));
  return out;
}
