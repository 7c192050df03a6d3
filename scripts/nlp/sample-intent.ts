/**
 * Draws the rows labelled by hand for intent (models/labels/intent.jsonl): a seeded random sample of
 * 80 mentions per language from airline-en + twcs inbound (en), GermEval relevant (de), airline-es (es),
 * each assigned to the dev or test half by the seeded shuffle. Prints id, split and text (TSV).
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { loadAirlineEn, loadAirlineEs, loadGermEval } from '../../src/enrich/data/datasets.ts';
import { seededRandom, shuffle } from '../../src/enrich/linear/train.ts';

const twcs = (parse(fs.readFileSync('datasets/twcs/twcs_head5000.csv', 'utf8'), { columns: true }) as Record<string, string>[])
  .filter((r) => r.inbound === 'True')
  .map((r) => ({ id: `twcs:${r.tweet_id}`, lang: 'en', text: r.text ?? '' }));
const pools: Record<string, { id: string; text: string }[]> = {
  en: [...loadAirlineEn('datasets'), ...twcs],
  de: loadGermEval('datasets').filter((r) => r.relevant && r.text.length <= 400),
  es: loadAirlineEs('datasets'),
};
const random = seededRandom(2026);
for (const [lang, pool] of Object.entries(pools)) {
  const picked = shuffle([...pool], random).slice(0, 80);
  picked.forEach((r, i) => console.log(`${r.id}\t${lang}\t${i % 2 ? 'test' : 'dev'}\t${r.text.replace(/\s+/g, ' ')}`));
}
