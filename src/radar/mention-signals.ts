/**
 * Mention-level signals (pure): virality (engagement velocity of a mention, from its counters when stored
 * and its age) and influential complaints (a negative mention by a far-reaching author). Only fresh
 * mentions count — a back-filled post from last year is history, not an incident.
 */
import type { MentionSignal } from '../alerts/alert-signal.ts';
import type { Mention } from '../mentions/mention.ts';
import { DEFAULT_INFLUENCE_OPTIONS, effectiveAudience, influentialComplaintScore } from './detectors/influence.signal.ts';
import { DEFAULT_VIRALITY_OPTIONS, engagementVelocity, viralityScore } from './detectors/virality.signal.ts';

/** Mentions published longer ago than this are not scored. */
export const FRESH_MS = 24 * 3_600_000;
/** Below this score nothing is handed on (rules use their own, higher, thresholds). */
const MIN_SCORE = 0.3;

/** What the signals read of a stored mention (a `Mention` has it). */
export type SignalCandidate = Pick<Mention, 'sourceId' | 'externalId' | 'parentExternalId' | 'publishedAt' | 'ingestedAt' | 'duplicateOf' | 'brandIds' | 'metrics'> & {
  sentiment: { label: string; score: number | null } | null;
  author: { id: number; followers: number | null } | null;
};

/** P(complaint): the sentiment model's confidence when it says negative, else 0. */
export function complaintProbability(m: Pick<SignalCandidate, 'sentiment'>): number {
  return m.sentiment?.label === 'negative' ? (m.sentiment.score ?? 1) : 0;
}

/** @param toMention builds the full mention, only for candidates that raise a signal. */
export function mentionSignals<T extends SignalCandidate>(candidates: readonly T[], now: number, toMention: (c: T) => Mention): MentionSignal[] {
  const out: MentionSignal[] = [];
  for (const m of candidates) {
    if (m.duplicateOf !== null || now - m.publishedAt > FRESH_MS) continue;
    const brandId = m.brandIds[0];
    if (brandId === undefined) continue;
    const viral = virality(m);
    const influence = influenceOf(m);
    if (!viral && !influence) continue;
    const mention = toMention(m);
    if (viral) out.push({ ...viral, type: 'mention', mention, brandId });
    if (influence) out.push({ ...influence, type: 'mention', mention, brandId });
  }
  return out;
}

function virality(m: SignalCandidate): Pick<MentionSignal, 'rule' | 'score' | 'observed' | 'expected' | 'dedupeKey'> | null {
  const k = m.metrics;
  const snapshot = { at: Math.max(m.ingestedAt, m.publishedAt), views: k.views ?? 0, shares: k.shares ?? 0, likes: k.likes ?? 0, replies: k.replies ?? 0 };
  const score = viralityScore([snapshot], DEFAULT_VIRALITY_OPTIONS, m.publishedAt);
  if (score < MIN_SCORE) return null;
  const thread = m.parentExternalId ?? m.externalId;
  return { rule: 'viral_mention', score, observed: engagementVelocity([snapshot], DEFAULT_VIRALITY_OPTIONS, m.publishedAt), expected: DEFAULT_VIRALITY_OPTIONS.halfScorePerHour, dedupeKey: `viral:${m.sourceId}:${thread}` };
}

function influenceOf(m: SignalCandidate): Pick<MentionSignal, 'rule' | 'score' | 'observed' | 'expected' | 'dedupeKey'> | null {
  if (!m.author) return null;
  const reach = { followers: m.author.followers ?? 0 };
  const score = influentialComplaintScore(reach, complaintProbability(m));
  if (score < MIN_SCORE) return null;
  return { rule: 'influential_complaint', score, observed: effectiveAudience(reach), expected: DEFAULT_INFLUENCE_OPTIONS.halfScoreAudience, dedupeKey: `author:${m.author.id}` };
}
