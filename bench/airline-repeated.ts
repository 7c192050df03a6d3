/**
 * The input of the ingest benchmarks: the airline tweet set (`datasets/airline-en`, 11,712 rows) repeated to `rows`
 * rows as one CSV file. Each repetition gets its own ids and a trailing tag, so that copies are new mentions rather
 * than near-duplicates of the first pass. Written one repetition at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const stringify = (rows: string[][]) => rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';

/** Writes the file and returns its number of rows. */
export function writeRepeatedAirline(file: string, rows: number): number {
  const airline = parse(fs.readFileSync(path.join(root, 'datasets/airline-en/train.csv')), { columns: true }) as Record<string, string>[];
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, 'id,text,created_at,author,retweets\n');
  let n = 0;
  for (let rep = 0; n < rows; rep++) {
    const chunk: string[][] = [];
    for (const r of airline) {
      if (n >= rows) break;
      chunk.push([`${rep}-${r.tweet_id}`, rep ? `${r.text} #r${rep}` : r.text!, r.tweet_created!, r.name!, r.retweet_count!]);
      n++;
    }
    fs.writeSync(out, stringify(chunk));
  }
  fs.closeSync(out);
  return n;
}
