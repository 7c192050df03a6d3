/**
 * The airline-en tweets (datasets/airline-en, Feb 2015) as a replay: real rows in time order, with the
 * crowd-sourced sentiment and complaint reason as the enrichment (a label enricher, so the test does not
 * depend on the models' accuracy). The total volume surges on 2015-02-22 around 20:00 UTC (American
 * Airlines' cancellations): the hourly count doubles within an hour.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Enricher } from '../../src/enrich/enricher.ts';
import type { SourceItem } from '../../src/pipeline/source.ts';
import { AIRLINE_REASONS } from '../../src/enrich/topics/taxonomy.ts';
import { cleanText } from '../../src/pipeline/normalize.ts';

export interface AirlineRow {
  id: string;
  text: string;
  at: number;
  author: string;
  retweets: number;
  sentiment: 'negative' | 'neutral' | 'positive';
  confidence: number;
  topic: string | null;
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** Rows sorted by time, up to (excluding) `until`; the 96 repeated tweet ids are kept once, as the pipeline stores them. */
export function loadAirlineRows(until = Infinity): AirlineRow[] {
  const raw = parse(fs.readFileSync(path.join(root, 'datasets/airline-en/train.csv')), { columns: true }) as Record<string, string>[];
  const seen = new Set<string>();
  return raw
    .map((r) => ({
      id: r.tweet_id!, text: r.text!, at: Date.parse(r.tweet_created!.replace(' ', 'T').replace(' ', '')), author: r.name!,
      retweets: Number(r.retweet_count) || 0, sentiment: r.airline_sentiment as AirlineRow['sentiment'], confidence: Number(r.airline_sentiment_confidence) || 1,
      topic: r.negativereason ? (AIRLINE_REASONS[r.negativereason] ?? null) : null,
    }))
    .filter((r) => r.at < until && !seen.has(r.id) && Boolean(seen.add(r.id)))
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

export function toItem(r: AirlineRow): SourceItem {
  return { externalId: r.id, text: r.text, publishedAt: r.at, author: { handle: r.author }, metrics: { shares: r.retweets } };
}

/** Gives each text the label the dataset has for it. */
export function labelEnricher(rows: readonly AirlineRow[]): Enricher {
  const byText = new Map(rows.map((r) => [cleanText(r.text), r]));
  return {
    name: 'airline-labels',
    enrich(input) {
      const r = byText.get(input.text);
      if (!r) return {};
      return { lang: 'en', langConfidence: 1, sentiment: { label: r.sentiment, score: r.confidence }, topics: r.topic ? [r.topic] : [] };
    },
  };
}
