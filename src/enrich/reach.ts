/**
 * Author reach: how many people a mention can reach, from the author's audience and the engagement the
 * mention already has. Logarithmic, because a 1M-follower account is not 1000× more urgent than a
 * 1k-follower one, and saturating at values that mean "mass media" (10M followers or views, 100k engagements).
 */

/** What a channel tells us about a mention's audience; absent or negative numbers count as 0. */
export interface ReachSignals {
  followers?: number | null;
  likes?: number | null;
  shares?: number | null;
  replies?: number | null;
  views?: number | null;
}

const WEIGHTS = { audience: 0.5, engagement: 0.3, views: 0.2 } as const;
const SATURATION = { audience: 1e7, engagement: 1e5, views: 1e7 } as const;

function n(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** log10(1 + x) / log10(1 + cap), clipped to [0, 1]. */
function scaled(x: number, cap: number): number {
  return Math.min(1, Math.log10(1 + x) / Math.log10(1 + cap));
}

/**
 * Reach score in [0, 1]: 0 = nobody will see it, 1 = mass-media reach. Shares count 3× and replies 2×
 * a like (they carry the mention to new audiences or signal a conversation). Monotone in every signal.
 */
export function reachScore(s: ReachSignals): number {
  const engagement = n(s.likes) + 3 * n(s.shares) + 2 * n(s.replies);
  const score =
    WEIGHTS.audience * scaled(n(s.followers), SATURATION.audience) +
    WEIGHTS.engagement * scaled(engagement, SATURATION.engagement) +
    WEIGHTS.views * scaled(n(s.views), SATURATION.views);
  return Number(score.toFixed(4));
}
