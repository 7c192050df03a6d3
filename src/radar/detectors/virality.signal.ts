/**
 * Virality: how fast one mention (or thread) is gathering engagement, from successive snapshots of its
 * public counters. "United Breaks Guitars" went to 750,000 views in 4 days; a post that gains shares by
 * the hundred per hour needs an answer now, whatever the volume of the brand's stream.
 */

/** Public counters of one mention at one moment (missing counters count as 0). */
export interface EngagementSnapshot {
  /** Epoch ms when the counters were read. */
  at: number;
  views?: number;
  shares?: number;
  likes?: number;
  replies?: number;
}

export interface ViralityOptions {
  /** Weight of each counter in "engagement": a share spreads a post further than a view does. */
  weights: { views: number; shares: number; likes: number; replies: number };
  /** Weighted engagement per hour that scores exactly 0.5 (set per channel: a view on TikTok ≠ one on a blog). */
  halfScorePerHour: number;
  /** Pairs of snapshots closer than this are not used alone (a 10-second gap makes a noisy rate). */
  minSpanMs: number;
}

export const DEFAULT_VIRALITY_OPTIONS: ViralityOptions = {
  weights: { views: 0.01, shares: 1, likes: 0.2, replies: 0.5 },
  halfScorePerHour: 100,
  minSpanMs: 5 * 60_000,
};

function engagement(s: EngagementSnapshot, w: ViralityOptions['weights']): number {
  return w.views * (s.views ?? 0) + w.shares * (s.shares ?? 0) + w.likes * (s.likes ?? 0) + w.replies * (s.replies ?? 0);
}

/**
 * Current weighted engagement velocity, per hour: the gain between the latest snapshot and the latest
 * earlier one at least `minSpanMs` before it (or the earliest one). With `postedAt` and a single snapshot,
 * the mention is taken to have started from zero when it was posted. Counters that go down (deleted
 * likes) count as no gain. Returns 0 when no rate can be measured.
 */
export function engagementVelocity(snapshots: readonly EngagementSnapshot[], options: ViralityOptions = DEFAULT_VIRALITY_OPTIONS, postedAt?: number): number {
  const sorted = [...snapshots].filter((s) => Number.isFinite(s.at)).sort((a, b) => a.at - b.at);
  const last = sorted[sorted.length - 1];
  if (!last) return 0;
  const earlier = sorted.slice(0, -1);
  const base =
    [...earlier].reverse().find((s) => last.at - s.at >= options.minSpanMs) ??
    earlier[0] ??
    (postedAt !== undefined && postedAt < last.at ? { at: postedAt } : undefined);
  if (!base) return 0;
  const hours = (last.at - base.at) / 3_600_000;
  if (!(hours > 0)) return 0;
  return Math.max(0, engagement(last, options.weights) - engagement(base, options.weights)) / hours;
}

/**
 * Virality score in [0, 1): 0 for no engagement gain, 0.5 at `halfScorePerHour`, approaching 1 as the
 * velocity grows. Monotone: more gain in the same time, or the same gain in less time, never scores lower.
 */
export function viralityScore(snapshots: readonly EngagementSnapshot[], options: ViralityOptions = DEFAULT_VIRALITY_OPTIONS, postedAt?: number): number {
  const v = engagementVelocity(snapshots, options, postedAt);
  return 1 - Math.pow(2, -v / options.halfScorePerHour);
}
