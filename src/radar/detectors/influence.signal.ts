/**
 * Influential author: a complaint matters more when its author is heard by many. "Dell Hell" started as
 * one blog post from an author with a large readership; the same words from an account with 12 followers
 * are still a case for the inbox, but not an alert.
 */

/** What is known of an author's reach on the channel they posted to (missing numbers count as 0). */
export interface AuthorReach {
  /** Followers, subscribers or readers. */
  followers?: number;
  /** Typical engagement of the author's posts (likes + shares + replies per post), if the channel says. */
  avgEngagement?: number;
  /** The channel vouches for the account (verified badge, known publication). */
  verified?: boolean;
}

export interface InfluenceOptions {
  /** Effective audience that scores exactly 0.5. */
  halfScoreAudience: number;
  /** Audience each unit of typical engagement stands for (engagement reaches the engagers' followers). */
  audiencePerEngagement: number;
  /** Multiplier on the audience of verified accounts (journalists, publications are quoted further). */
  verifiedBoost: number;
}

export const DEFAULT_INFLUENCE_OPTIONS: InfluenceOptions = {
  halfScoreAudience: 10_000,
  audiencePerEngagement: 50,
  verifiedBoost: 2,
};

/** The author's effective audience: followers, or what their usual engagement implies, whichever is larger. */
export function effectiveAudience(author: AuthorReach, options: InfluenceOptions = DEFAULT_INFLUENCE_OPTIONS): number {
  const followers = Math.max(0, author.followers ?? 0);
  const viaEngagement = Math.max(0, author.avgEngagement ?? 0) * options.audiencePerEngagement;
  return Math.max(followers, viaEngagement) * (author.verified ? options.verifiedBoost : 1);
}

/**
 * Influence score in [0, 1): on a log scale, because audiences span six orders of magnitude —
 * ln(1 + a) / (ln(1 + a) + ln(1 + half)), which is 0 for no audience and 0.5 at `halfScoreAudience`.
 */
export function influenceScore(author: AuthorReach, options: InfluenceOptions = DEFAULT_INFLUENCE_OPTIONS): number {
  const a = Math.log1p(effectiveAudience(author, options));
  return a / (a + Math.log1p(options.halfScoreAudience));
}

/**
 * Influential-complaint score in [0, 1]: the author's influence weighted by how sure we are that the
 * mention is a complaint (`complaintProbability`, e.g. the sentiment model's P(negative)).
 */
export function influentialComplaintScore(author: AuthorReach, complaintProbability: number, options: InfluenceOptions = DEFAULT_INFLUENCE_OPTIONS): number {
  const p = Number.isFinite(complaintProbability) ? Math.min(1, Math.max(0, complaintProbability)) : 0;
  return influenceScore(author, options) * p;
}
