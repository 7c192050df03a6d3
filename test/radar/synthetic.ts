/**
 * A small, deterministic brand stream for the radar's API tests: two days of a daily rhythm (1–5 mentions
 * per 5 minutes, a few of them complaints, some about cancellations), then whatever surge a test adds. Text markers drive a marker enricher: "#neg" makes a
 * mention negative, "#cancel" gives it the topic "cancellations".
 */
import type { Enricher } from '../../src/enrich/enricher.ts';
import type { SourceItem } from '../../src/pipeline/source.ts';

export const BUCKET = 300_000;
export const DAY = 86_400_000;
/** A Monday 00:00 UTC. */
export const T0 = Date.UTC(2026, 0, 5);

const CALM = ['the new lounge is nice', 'boarding was on time today', 'friendly crew on my flight', 'what is the baggage allowance', 'app works fine', 'good coffee on board'];

/** Mentions for [from, to): a daily rhythm, about 3 per bucket. */
export function calmItems(from: number, to: number, prefix = 'calm'): SourceItem[] {
  const items: SourceItem[] = [];
  for (let b = from; b < to; b += BUCKET) {
    const hour = (b % DAY) / 3_600_000;
    const n = Math.max(1, Math.round(3 + 1.5 * Math.sin((2 * Math.PI * hour) / 24) + (((b / BUCKET) * 7919) % 3) - 1));
    for (let i = 0; i < n; i++) {
      const k = b / BUCKET + i;
      const mood = k % 5 === 0 ? ' #neg' : '';
      const topic = k % 11 === 0 ? ' #cancel' : '';
      items.push({ externalId: `${prefix}-${b}-${i}`, text: `${CALM[k % CALM.length]}${mood}${topic} (${k})`, publishedAt: b + i * 7_000, author: { handle: `fan${k % 40}`, followers: (k % 40) * 3 } });
    }
  }
  return items;
}

/** `n` negative "cancelled flight" complaints spread over the bucket starting at `bucket`. */
export function surgeItems(bucket: number, n: number, prefix = 'surge'): SourceItem[] {
  return Array.from({ length: n }, (_, i) => ({
    externalId: `${prefix}-${bucket}-${i}`,
    text: `Flight cancelled again, no refund and nobody answers #neg #cancel (${prefix} ${i})`,
    publishedAt: bucket + Math.floor((i * (BUCKET - 1000)) / n),
    author: { handle: `angry${i}`, followers: i === 3 ? 52_000 : 10 + i },
  }));
}

export const markerEnricher: Enricher = {
  name: 'markers',
  enrich(input) {
    const negative = input.text.includes('#neg');
    return {
      lang: 'en', langConfidence: 1,
      sentiment: negative ? { label: 'negative', score: 0.95 } : { label: 'positive', score: 0.8 },
      topics: input.text.includes('#cancel') ? ['cancellations'] : [],
    };
  },
};
