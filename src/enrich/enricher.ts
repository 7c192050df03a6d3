/**
 * The enrichment seam. Enrichers are pure and synchronous: text in, fields out; no I/O, no database.
 * Models are loaded once when an enricher is built, never per call.
 *
 * The pipeline runs the enrichers in order and merges what each returns into one `Enrichment`; every
 * enricher sees the fields found so far in `input` (so sentiment can use the detected language).
 * An enricher that throws fails the item: the item goes to the dead-letter table with the error.
 */
export interface EnrichInput {
  text: string;
  title?: string | null;
  /** Language declared by the channel or detected by an earlier enricher. */
  lang?: string | null;
}

export interface Enrichment {
  lang: string | null;
  langConfidence: number | null;
  sentiment: { label: 'negative' | 'neutral' | 'positive'; score: number } | null;
  topics: string[];
  intents: string[];
  relevance: number | null;
}

export interface Enricher {
  readonly name: string;
  enrich(input: EnrichInput, soFar: Readonly<Enrichment>): Partial<Enrichment>;
}

export function emptyEnrichment(): Enrichment {
  return { lang: null, langConfidence: null, sentiment: null, topics: [], intents: [], relevance: null };
}

/** Runs the enrichers in order over one text and returns the merged result. */
export function runEnrichers(enrichers: readonly Enricher[], input: EnrichInput): Enrichment {
  const result = emptyEnrichment();
  if (input.lang) result.lang = input.lang;
  const plain = onlyInputFields(input);
  for (const enricher of enrichers) {
    // Each enricher gets its own copy of the input with the language found so far. Written out for the
    // usual input: V8 copies `{ ...input, lang }` slowly when `input` has no `lang` key (≈ 0.6 µs a copy).
    const copy = plain ? { text: input.text, title: input.title, lang: result.lang } : { ...input, lang: result.lang };
    Object.assign(result, enricher.enrich(copy, result));
  }
  return result;
}

/** Whether the input has no fields besides those of `EnrichInput`. */
function onlyInputFields(input: EnrichInput): boolean {
  for (const key in input) if (key !== 'text' && key !== 'title' && key !== 'lang') return false;
  return true;
}
