/**
 * Streaming JSONL enrichment behind `earshot enrich`: one `{"id","text"[,"lang"]}` object per line in,
 * the same object plus `lang`, `sentiment`, `topics`, `intents`, `relevance` out. A bad line is reported
 * with its line number through `onBadLine` and skipped; it never stops the stream.
 *
 * Lines are cut from each input chunk as readline cuts them (`\n`, `\r\n` or a lone `\r`; a last line
 * without an ending counts), and the output of a whole chunk goes out in one write: per-line async
 * iteration and per-line writes cost more than the JSON work on short mentions.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { runEnrichers, type Enricher, type Enrichment } from './enricher.ts';

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

const ADDED = ['lang', 'sentiment', 'topics', 'intents', 'relevance'] as const;

/** `JSON.stringify({ ...value, lang, sentiment, topics, intents, relevance })`, without copying `value` when it has none of those keys. */
export function enrichedLine(value: Record<string, unknown>, e: Enrichment): string {
  const added = { lang: e.lang, sentiment: e.sentiment, topics: e.topics, intents: e.intents, relevance: e.relevance };
  if (ADDED.some((key) => Object.hasOwn(value, key))) return JSON.stringify({ ...value, ...added });
  const json = JSON.stringify(value);
  // The added keys go after value's own keys, as the spread would put them (none of them is an index key).
  return json === '{}' ? JSON.stringify(added) : `${json.slice(0, -1)},${JSON.stringify(added).slice(1)}`;
}

export async function enrichJsonl(
  input: Readable, output: Writable, enrichers: readonly Enricher[], onBadLine: (line: number, reason: string) => void,
): Promise<EnrichStreamResult> {
  const result: EnrichStreamResult = { read: 0, written: 0, bad: 0 };
  const enrichLine = (line: string): string | undefined => {
    result.read++;
    if (line.trim() === '') return undefined;
    const parsed = parseMentionLine(line);
    if (typeof parsed === 'string') {
      result.bad++;
      onBadLine(result.read, parsed);
      return undefined;
    }
    result.written++;
    return enrichedLine(parsed.value, runEnrichers(enrichers, { text: parsed.text, lang: parsed.lang }));
  };
  const lines = createLineSplitter();
  for await (const chunk of input) {
    const out = lines.push(chunk as Buffer | string, enrichLine);
    if (out && !output.write(out)) await once(output, 'drain');
  }
  const out = lines.end(enrichLine);
  if (out && !output.write(out)) await once(output, 'drain');
  return result;
}

interface LineSplitter {
  /** Runs `each` on every complete line of the chunk; returns the joined non-undefined results, one per line. */
  push(chunk: Buffer | string, each: (line: string) => string | undefined): string;
  /** The same for what is left at the end of the input (a last line without an ending). */
  end(each: (line: string) => string | undefined): string;
}

const LINE_END = /\r\n|\n|\r/g;

function createLineSplitter(): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const cut = (text: string, each: (line: string) => string | undefined, final: boolean): string => {
    let out = '';
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let m = LINE_END.exec(text); m !== null; m = LINE_END.exec(text)) {
      // A '\r' at the end of a chunk may be the first half of a '\r\n' split across chunks: wait for the next.
      if (!final && m.index === text.length - 1 && m[0] === '\r') break;
      const line = each(text.slice(start, m.index));
      if (line !== undefined) out += `${line}\n`;
      start = LINE_END.lastIndex;
    }
    rest = text.slice(start);
    if (final && rest.length > 0) {
      const line = each(rest);
      if (line !== undefined) out += `${line}\n`;
      rest = '';
    }
    return out;
  };
  return {
    push: (chunk, each) => cut(rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk)), each, false),
    end: (each) => cut(rest + decoder.end(), each, true),
  };
}
