/**
 * Brand query matching throughput: prepare each text once and match it against 10 compiled brand
 * queries, on real airline tweets (English and Spanish, so accent folding is exercised).
 * Prints texts per second (median of 5 rounds). Target: well above 100,000 texts/s on one core.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { parseQuery } from '../src/brands/query/query.parser.ts';
import { compileQuery, prepareText } from '../src/brands/query/query.matcher.ts';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');

function readTexts(file: string): string[] {
  const rows = parse(fs.readFileSync(path.join(root, file)), { columns: true }) as Array<{ text: string }>;
  return rows.map((r) => r.text);
}

const QUERIES = [
  '(@united OR "united airlines") AND NOT (stock OR shares)',
  '@AmericanAir OR "american airlines" OR #aa',
  '(@SouthwestAir OR southwest) (delay* OR cancel* OR "flight attendant")',
  '@JetBlue -spam -giveaway',
  '(@USAirways OR "us airways") AND (bag* OR luggage OR lost)',
  '@VirginAmerica OR "virgin america"',
  '(@Iberia OR iberia) (retraso* OR cancelacion OR maleta*)',
  '(@Ryanair OR ryanair) AND NOT "ryanair shares"',
  '(refund* OR "money back" OR compensation) -(thank OR thanks)',
  '(t-mobile OR at&t OR verizon) (wifi OR internet)',
];

const texts = [...readTexts('datasets/airline-en/train.csv'), ...readTexts('datasets/airline-es/train.csv')];
const compiled = QUERIES.map((q) => compileQuery(parseQuery(q)));

function round(): { seconds: number; matches: number } {
  let matches = 0;
  const start = process.hrtime.bigint();
  for (const text of texts) {
    const prepared = prepareText(text);
    for (const matches_ of compiled) if (matches_(prepared)) matches++;
  }
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, matches };
}

round(); // warm-up: let the JIT compile the hot paths
const rounds = Array.from({ length: 5 }, round).sort((a, b) => a.seconds - b.seconds);
const median = rounds[2] ?? rounds[0];
if (!median) throw new Error('no rounds ran');
const avgChars = Math.round(texts.reduce((sum, t) => sum + t.length, 0) / texts.length);
console.log(`query match: ${texts.length} texts (avg ${avgChars} chars) × ${QUERIES.length} queries`);
console.log(`  ${Math.round(texts.length / median.seconds).toLocaleString('en-US')} texts/s (median of 5), ${median.matches} matches`);
