/**
 * The understanding enrichers built on the trained models: fast language id, sentiment, complaint topics,
 * intent and relevance. They share one featurisation per text (feature-memo.ts), so adding a model costs
 * only its dot product. Build them once with the loaded `ModelBundle`; `enrich` is pure and synchronous.
 */
import { emptyEnrichment, type Enricher, type Enrichment } from './enricher.ts';
import { createFeatureMemo, fastLanguageApplies, type FeatureMemo } from './feature-memo.ts';
import { detectIntents, DEFAULT_INTENT, type IntentOptions } from './intent/intent.ts';
import { languageEnricher } from './language.enricher.ts';
import { argmax, logits, softmax, type LinearModel } from './linear/model.ts';
import type { ModelBundle } from './model-store.ts';
import { fuseExperts, pairProbabilities, pairProbabilitiesWith } from './sentiment/fused-pair.ts';
import { cueTopics } from './topics/topic-cues.ts';
import { fuseLite, liteLogits, liteSums } from './fused-lite.ts';

export interface UnderstandingOptions {
  /** Topics whose probability reaches this are reported (at most `maxTopics`, best first). */
  topicThreshold: number;
  maxTopics: number;
  /** The fast language model decides from this probability on; below it eld decides. */
  languageThreshold: number;
  intent: IntentOptions;
}

export const DEFAULT_UNDERSTANDING: UnderstandingOptions = { topicThreshold: 0.35, maxTopics: 2, languageThreshold: 0.8, intent: DEFAULT_INTENT };

type Sentiment = NonNullable<Enrichment['sentiment']>;

/** Class probabilities of a text under a language; the array is reused by the next call. */
export type Score = (text: string, lang: string | null | undefined) => Float64Array;

/** A model bound to the memo, with its own output buffer (enrichers run one text at a time). */
export function modelScore(model: LinearModel, memo: FeatureMemo): Score {
  const out = new Float64Array(model.labels.length);
  return (text, lang) => softmax(logits(model, memo.vector(model.features, text, lang), out));
}

/**
 * Scores of models that share the light feature space, from one pass over one vector (fused-lite.ts):
 * the pass runs once per text, each model then only adds its language-feature weights.
 */
export function liteScores(models: LinearModel[], memo: FeatureMemo): Score[] {
  const fused = fuseLite(models);
  const sums = new Float64Array(fused.width);
  let last: string | undefined;
  return models.map((model, k) => {
    const out = new Float64Array(model.labels.length);
    return (text: string, lang: string | null | undefined) => {
      if (text !== last) {
        liteSums(fused, memo.vector(model.features, text, null), sums);
        last = text;
      }
      return softmax(liteLogits(fused, k, sums, lang, out));
    };
  });
}

function fullText(input: { text: string; title?: string | null }): string {
  return input.title ? `${input.title}. ${input.text}` : input.text;
}

/**
 * Language identification in two steps: the fast language model over the shared vector decides when it
 * is sure (one dot product); otherwise eld (60 languages) decides. See docs/decisions/0002.
 */
export function fastLanguageEnricher(
  model: LinearModel, memo: FeatureMemo, o = DEFAULT_UNDERSTANDING, score: Score = modelScore(model, memo),
): Enricher {
  return {
    name: 'language',
    enrich(input) {
      // A declared language wins; "de-DE" or "DE" become "de", the form the models were trained with.
      if (input.lang) return { lang: input.lang.toLowerCase().split(/[-_]/)[0] as string, langConfidence: 1 };
      const text = fullText(input);
      if (!fastLanguageApplies(memo.tokens(text))) return languageEnricher.enrich(input, emptyEnrichment());
      const p = score(text, null);
      const best = argmax(p);
      if ((p[best] as number) < o.languageThreshold) return languageEnricher.enrich(input, emptyEnrichment());
      return { lang: model.labels[best] as string, langConfidence: Math.round((p[best] as number) * 1000) / 1000 };
    },
  };
}

/**
 * Sentiment label with its probability as the score, from the two experts mixed by the domain gate
 * (sentiment/mixture.ts). Both experts are read from one interleaved table: one memory access per feature.
 * With `relevance`, the relevance model's logits are computed in the same pass for the languages it serves.
 */
export function sentimentOf(
  bundle: ModelBundle, memo: FeatureMemo, gate: Score = modelScore(bundle.sentimentGate, memo), relevance?: PairedRelevance,
): (text: string, lang: string | null | undefined) => Sentiment {
  const pair = fuseExperts(bundle.sentiment, bundle.sentimentTweets);
  const { labels } = bundle.sentiment;
  const p = new Float64Array(3);
  return (text, lang) => {
    const g = gate(text, lang)[1] as number;
    const x = memo.vector(pair.features, text, lang);
    if (relevance && lang && relevance.langs.has(lang)) {
      pairProbabilitiesWith(pair, x, g, p, relevance.model, relevance.logits);
      relevance.text = text;
      relevance.lang = lang;
    } else {
      pairProbabilities(pair, x, g, p);
    }
    const best = argmax(p);
    return { label: labels[best] as Sentiment['label'], score: Math.round((p[best] as number) * 1000) / 1000 };
  };
}

/** Relevance logits left by `sentimentOf` for the text it scored last (same feature space, same vector). */
interface PairedRelevance {
  model: LinearModel;
  langs: ReadonlySet<string>;
  logits: Float64Array;
  text?: string;
  lang?: string;
}

function relevanceLangs(model: LinearModel): ReadonlySet<string> {
  return new Set((model.meta.langs as string[] | undefined) ?? ['de']);
}

/** A relevance model the sentiment pass can score along (two classes, the experts' feature space), else undefined. */
function pairedRelevance(bundle: ModelBundle): PairedRelevance | undefined {
  const { relevance, sentiment } = bundle;
  if (relevance.labels.length !== 2 || JSON.stringify(relevance.features) !== JSON.stringify(sentiment.features)) return undefined;
  return { model: relevance, langs: relevanceLangs(relevance), logits: new Float64Array(2) };
}

/** Relevance probabilities: from the sentiment pass when it scored this text and language, else by the model. */
function pairedRelevanceScore(paired: PairedRelevance, memo: FeatureMemo): Score {
  const fallback = modelScore(paired.model, memo);
  const out = new Float64Array(2);
  return (text, lang) => {
    if (text !== paired.text || lang !== paired.lang) return fallback(text, lang);
    out.set(paired.logits);
    return softmax(out);
  };
}

/**
 * Complaint topics, best first: the topic model's topics above the threshold; when it finds none, the
 * keyword cues of a mention that is not positive (topic-cues.ts: Spanish, billing, offers); "other" for a
 * negative mention with no topic at all. "Offer not honoured" has no training data: it comes from cues only.
 */
export function topicsOf(model: LinearModel, memo: FeatureMemo, o = DEFAULT_UNDERSTANDING, score: Score = modelScore(model, memo)) {
  const other = model.labels.indexOf('other');
  return (text: string, lang: string | null | undefined, sentiment: Sentiment | null): string[] => {
    const p = score(text, lang);
    const found: number[] = [];
    for (let i = 0; i < p.length; i++) if (i !== other && (p[i] as number) >= o.topicThreshold) found.push(i);
    found.sort((a, b) => (p[b] as number) - (p[a] as number));
    const topics = found.slice(0, o.maxTopics).map((i) => model.labels[i] as string);
    if (sentiment?.label === 'positive') return topics;
    const cues = cueTopics(memo.tokens(text));
    if (cues.includes('offer_not_honoured') && !topics.includes('offer_not_honoured')) topics.unshift('offer_not_honoured');
    if (!found.length) topics.push(...cues.filter((t) => t !== 'offer_not_honoured').slice(0, o.maxTopics));
    if (!topics.length && sentiment?.label === 'negative') topics.push('other');
    return topics;
  };
}

/** Probability that the text is about the brand; trained on German data only, so null for other languages. */
export function relevanceOf(model: LinearModel, memo: FeatureMemo, score: Score = modelScore(model, memo)) {
  const langs = relevanceLangs(model);
  const relevant = model.labels.indexOf('relevant');
  return (text: string, lang: string | null | undefined): number | null =>
    lang && langs.has(lang) ? Math.round((score(text, lang)[relevant] as number) * 1000) / 1000 : null;
}

/**
 * Sentiment, topics, intents and relevance in one enricher (one call and one merge per mention instead
 * of four); each part is also available on its own above.
 */
export function understandingEnricher(
  bundle: ModelBundle, memo: FeatureMemo = createFeatureMemo(), o = DEFAULT_UNDERSTANDING, scores: { topics?: Score; gate?: Score } = {},
): Enricher {
  const paired = pairedRelevance(bundle);
  const sentiment = sentimentOf(bundle, memo, scores.gate, paired);
  const topics = topicsOf(bundle.topics, memo, o, scores.topics);
  const relevance = relevanceOf(bundle.relevance, memo, paired && pairedRelevanceScore(paired, memo));
  const intent: IntentOptions = o.intent;
  return {
    name: 'understanding',
    enrich(input) {
      const text = fullText(input);
      const s = sentiment(text, input.lang);
      return {
        sentiment: s,
        topics: topics(text, input.lang, s),
        intents: detectIntents(memo.tokens(text), text, s, intent),
        relevance: relevance(text, input.lang),
      };
    },
  };
}

/** The full enrichment chain: language, then sentiment, topics, intent and relevance. */
export function createEnrichers(bundle: ModelBundle, o: UnderstandingOptions = DEFAULT_UNDERSTANDING): Enricher[] {
  const memo = createFeatureMemo();
  const [language, topics, gate] = liteScores([bundle.language, bundle.topics, bundle.sentimentGate], memo);
  return [fastLanguageEnricher(bundle.language, memo, o, language), understandingEnricher(bundle, memo, o, { topics, gate })];
}
