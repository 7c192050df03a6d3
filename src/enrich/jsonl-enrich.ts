/**
 * Streaming JSONL enrichment behind `earshot enrich`: one `{"id","text"[,"lang"]}` object per line in,
 * the same object plus `lang`, `sentiment`, `topics`, `intents`, `relevance` out. A bad line is reported
 * with its line number through `onBadLine` and skipped; it never stops the stream.
 */
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { runEnrichers, type Enricher } from './enricher.ts';

export interface EnrichStreamResult {
  read: number;
  written: number;
  bad: number;
}

/** Parses one input line; returns an error message for a line that is not a usable mention. */
export function parseMentionLine(line: string): { value: Record<string, unknown>; text: string; lang?: string } | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const obj = value as Record<string, unknown>;
  if (typeof obj.text !== 'string') return 'missing string field "text"';
  const lang = typeof obj.lang === 'string' && obj.lang ? obj.lang : undefined;
  return { value: obj, text: obj.text, lang };
}

export async function enrichJsonl(
  input: Readable, output: Writable, enrichers: readonly Enricher[], onBadLine: (line: number, reason: string) => void,
): Promise<EnrichStreamResult> {
  const result: EnrichStreamResult = { read: 0, written: 0, bad: 0 };
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    result.read++;
    if (line.trim() === '') continue;
    const parsed = parseMentionLine(line);
    if (typeof parsed === 'string') {
      result.bad++;
      onBadLine(result.read, parsed);
      continue;
    }
    const e = runEnrichers(enrichers, { text: parsed.text, lang: parsed.lang });
    const out = { ...parsed.value, lang: e.lang, sentiment: e.sentiment, topics: e.topics, intents: e.intents, relevance: e.relevance };
    if (!output.write(`${JSON.stringify(out)}\n`)) await once(output, 'drain');
    result.written++;
  }
  return result;
}
