/**
 * Language identification with eld (Efficient Language Detector), chosen by measurement: see
 * docs/decisions/0002-language-identification.md. Its n-gram tables load once, at module import.
 */
import { eld } from 'eld/large';
import type { Enricher } from './enricher.ts';

/** Below this many letters a guess is noise; the mention keeps lang = null. */
const MIN_LETTERS = 3;
const LETTERS = /\p{L}/gu;
const URLS = /https?:\/\/\S+/g;
const HANDLES = /[@#][\p{L}\p{N}_]+/gu;

export interface DetectedLanguage {
  lang: string | null;
  confidence: number | null;
}

/** Detects the language of a short text; handles, hashtags and links are ignored. */
export function detectLanguage(text: string): DetectedLanguage {
  const clean = text.replace(URLS, ' ').replace(HANDLES, ' ');
  if ((clean.match(LETTERS)?.length ?? 0) < MIN_LETTERS) return { lang: null, confidence: null };
  const result = eld.detect(clean);
  if (!result.language) return { lang: null, confidence: null };
  const scores = result.getScores();
  const values = Object.values(scores).sort((a, b) => b - a);
  const top = values[0] ?? 0;
  const second = values[1] ?? 0;
  // Margin between the two best candidates, mapped to [0, 1]: a clear winner scores near 1.
  const confidence = top > 0 ? Math.max(0, Math.min(1, (top - second) / top + (result.isReliable() ? 0.5 : 0))) : 0;
  return { lang: result.language, confidence: Number(Math.min(1, confidence).toFixed(3)) };
}

export const languageEnricher: Enricher = {
  name: 'language',
  enrich(input) {
    if (input.lang) return { lang: input.lang, langConfidence: 1 };
    const { lang, confidence } = detectLanguage(input.title ? `${input.title}. ${input.text}` : input.text);
    return { lang, langConfidence: confidence };
  },
};
