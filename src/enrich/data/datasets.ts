/**
 * Readers for the labelled public datasets bundled in `datasets/` (see datasets/README.md for sources and
 * licences). Used by `earshot train` and `earshot eval` only; the enrichers never read data files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export const SENTIMENTS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

/** One labelled text. `id` is `<dataset>:<row id>` and stable across runs. */
export interface LabeledText {
  id: string;
  dataset: string;
  /** The language the dataset is in (known, not detected). */
  lang: string;
  text: string;
  sentiment: SentimentLabel;
  /** Annotator agreement where the dataset gives one (airline-en), else 1. */
  confidence: number;
  /** Source-specific complaint categories: airline `negativereason`, GermEval aspect categories. */
  categories: string[];
  /** GermEval only: is the text about Deutsche Bahn. */
  relevant?: boolean;
  /** UMSAB only: which split the row comes from. */
  split?: 'train' | 'val';
}

export const UMSAB_LANGS: Record<string, string> = {
  arabic: 'ar', english: 'en', french: 'fr', german: 'de', hindi: 'hi', italian: 'it', portuguese: 'pt', spanish: 'es',
};

type CsvRow = Record<string, string>;

function readCsv(file: string): CsvRow[] {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, relax_quotes: true }) as CsvRow[];
}

function asSentiment(value: string | undefined): SentimentLabel {
  if (value === 'negative' || value === 'neutral' || value === 'positive') return value;
  throw new Error(`unknown sentiment label: ${value}`);
}

export function loadAirlineEn(root: string): LabeledText[] {
  return readCsv(path.join(root, 'airline-en/train.csv')).map((r) => ({
    id: `airline-en:${r.tweet_id}`, dataset: 'airline-en', lang: 'en', text: r.text ?? '',
    sentiment: asSentiment(r.airline_sentiment), confidence: Number(r.airline_sentiment_confidence) || 1,
    categories: r.negativereason ? [r.negativereason] : [],
  }));
}

export function loadAirlineEs(root: string): LabeledText[] {
  return readCsv(path.join(root, 'airline-es/train.csv')).map((r) => ({
    id: `airline-es:${r.tweet_id}`, dataset: 'airline-es', lang: 'es', text: r.text ?? '',
    sentiment: asSentiment(r.airline_sentiment), confidence: 1, categories: [],
  }));
}

const ASPECT = /([^\s:]+):\s*(positive|negative|neutral)/g;

/** GermEval 2017 TSV: url, text, relevance, sentiment, aspects (`Category#Sub:polarity ...`). */
export function loadGermEval(root: string, file = 'germeval2017/dev_v1.4.tsv'): LabeledText[] {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  const out: LabeledText[] = [];
  lines.forEach((line, i) => {
    const cols = line.split('\t');
    if (cols.length < 4) return;
    const categories = [...(cols[4] ?? '').matchAll(ASPECT)].map((m) => m[1] as string);
    out.push({
      id: `germeval:${i + 1}`, dataset: 'germeval', lang: 'de', text: cols[1] ?? '', sentiment: asSentiment(cols[3]),
      confidence: 1, categories, relevant: cols[2] === 'true',
    });
  });
  return out;
}

const UMSAB_LABELS: SentimentLabel[] = ['negative', 'neutral', 'positive'];

export function loadUmsab(root: string, split: 'train' | 'val'): LabeledText[] {
  return Object.entries(UMSAB_LANGS).flatMap(([name, lang]) => {
    const dir = path.join(root, 'umsab', name);
    const texts = fs.readFileSync(path.join(dir, `${split}_text.txt`), 'utf8').split('\n');
    const labels = fs.readFileSync(path.join(dir, `${split}_labels.txt`), 'utf8').split('\n');
    return labels.flatMap((label, i) => {
      if (label.trim() === '') return [];
      const sentiment = UMSAB_LABELS[Number(label)];
      if (!sentiment) throw new Error(`${dir}: bad label on line ${i + 1}`);
      return [{
        id: `umsab-${lang}-${split}:${i + 1}`, dataset: `umsab-${lang}`, lang, text: texts[i] ?? '', sentiment,
        confidence: 1, categories: [], split,
      }];
    });
  });
}

/** Everything labelled that `earshot train` may learn from, plus the UMSAB validation rows. */
export function loadAll(root: string): { train: LabeledText[]; umsabVal: LabeledText[] } {
  const train = [...loadAirlineEn(root), ...loadAirlineEs(root), ...loadGermEval(root), ...loadUmsab(root, 'train')];
  return { train, umsabVal: loadUmsab(root, 'val') };
}
