/**
 * Builds an alert's explanation from the mentions behind it: the incident window of a stream (since the
 * incident started, up to the current bucket) compared with the day before it, or a single mention and
 * its author. Reads are bounded (a few hundred rows) and happen only when an alert opens or updates.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../radar/radar.schema.ts';
import { BUCKET_MS } from '../radar/stream-advance.ts';
import type { AlertExplanation } from './alert.ts';
import type { MentionSignal, StreamSignal } from './alert-signal.ts';
import { getBrandNames, getWindowMentionsByIds, listWindowMentions } from './alert-window.repository.ts';
import { representativeMentions, summarize, topAuthors, topTerms, topTopics } from './alert-explain.ts';
import type { StreamPoint } from '../radar/stream-advance.ts';

type Trx = Transaction<Database>;
const DAY_MS = 86_400_000;
const WINDOW_LIMIT = 500;
const BASELINE_LIMIT = 1000;

/**
 * @param peak the signal's point when it is the incident's new peak (observed/expected/detector come from
 *   it), null to keep the previous explanation's peak figures.
 */
export async function explainStream(trx: Trx, ws: number, s: StreamSignal, since: number, previous: AlertExplanation | null, peak: StreamPoint | null): Promise<AlertExplanation> {
  const { brandId, kind, topic } = s.stream;
  const name = (await getBrandNames(trx, ws, [brandId])).get(brandId) ?? `brand ${brandId}`;
  const filter = { brandId, negativeOnly: kind === 'negative', ...(kind === 'topic' ? { topic } : {}) };
  const to = s.point.bucket + BUCKET_MS;
  const window = await listWindowMentions(trx, ws, { ...filter, from: since, to, limit: WINDOW_LIMIT });
  const baseline = await listWindowMentions(trx, ws, { ...filter, from: since - DAY_MS, to: since, limit: BASELINE_LIMIT });
  const p = peak ?? null;
  const body: Omit<AlertExplanation, 'summary'> = {
    unit: 'mentions per 5 minutes',
    brand: { id: brandId, name },
    stream: { id: s.stream.id, kind, topic },
    observed: p ? p.n : (previous?.observed ?? s.point.n),
    expected: p ? (p.band?.expected ?? null) : (previous?.expected ?? null),
    upper: p ? (p.band?.hi ?? null) : (previous?.upper ?? null),
    since,
    peakAt: p ? p.bucket : (previous?.peakAt ?? s.point.bucket),
    window: { from: since, to },
    mentions: window.length,
    topTerms: topTerms(window, baseline),
    topTopics: topTopics(window),
    representative: representativeMentions(window),
    topAuthors: topAuthors(window),
    detector: p ? round(p.why) : (previous?.detector ?? null),
  };
  return { summary: summarize(body, name), ...body };
}

export async function explainMention(trx: Trx, ws: number, s: MentionSignal, previous: AlertExplanation | null): Promise<AlertExplanation> {
  const name = (await getBrandNames(trx, ws, [s.brandId])).get(s.brandId) ?? `brand ${s.brandId}`;
  const ids = [...new Set([s.mention.id, ...(previous?.representative.map((r) => r.id) ?? [])])].slice(0, 20);
  const window = await getWindowMentionsByIds(trx, ids);
  const at = s.mention.publishedAt;
  const observed = Math.max(s.observed, previous?.observed ?? 0);
  const who = s.mention.author ? `@${s.mention.author.handle}` : 'An unknown author';
  const subject = s.rule === 'viral_mention'
    ? `A mention of ${name} by ${who} is spreading: ${Math.round(s.observed)} weighted engagements per hour (alert level ${s.expected})`
    : `${who} (${Math.round(s.observed).toLocaleString('en-US')} effective audience) complains about ${name}`;
  const body: Omit<AlertExplanation, 'summary'> = {
    unit: s.rule === 'viral_mention' ? 'weighted engagement per hour' : 'audience',
    brand: { id: s.brandId, name }, stream: null, observed, expected: s.expected, upper: null,
    since: previous?.since ?? at, peakAt: observed > (previous?.observed ?? 0) ? at : (previous?.peakAt ?? at),
    window: { from: previous?.window.from ?? at, to: Math.max(at, previous?.window.to ?? at) },
    mentions: window.length, topTerms: topTerms(window, []), topTopics: topTopics(window),
    representative: representativeMentions(window), topAuthors: topAuthors(window), detector: null,
  };
  return { summary: summarize(body, subject), ...body };
}

function round(why: StreamPoint['why']): AlertExplanation['detector'] {
  const r = (x: number) => Math.round(x * 100) / 100;
  return { extremity: r(why.extremity), seasonal: r(why.seasonal), novelty: r(why.novelty), volatility: r(why.volatility) };
}
