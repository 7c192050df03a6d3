/**
 * Intent = multilingual cue rules (cues.ts) combined with the sentiment model: a clearly negative mention
 * is a complaint and a clearly positive one praise even without a cue word; a cue needs the sentiment not
 * to contradict it (sarcastic "thanks for nothing" is negative, so it is no praise).
 */
import type { Enrichment } from '../enricher.ts';
import { bit, cueMask, INTENTS, type CueKind, type Intent } from './cues.ts';

export interface IntentOptions {
  /** Sentiment confidence from which a negative mention is a complaint without any cue. */
  negativeAlone: number;
  /** Sentiment confidence from which a positive mention is praise without any cue. */
  positiveAlone: number;
}

export const DEFAULT_INTENT: IntentOptions = { negativeAlone: 0.6, positiveAlone: 0.7 };

/** Intents of one text in taxonomy order, given its tokens and its sentiment (null when unknown). */
export function detectIntents(
  tokens: readonly string[], text: string, sentiment: Enrichment['sentiment'], o: IntentOptions = DEFAULT_INTENT,
): Intent[] {
  const mask = cueMask(tokens, text);
  const cues = { has: (kind: CueKind): boolean => (mask & bit(kind)) !== 0 };
  const label = sentiment?.label;
  const score = sentiment?.score ?? 0;
  const found = new Set<Intent>();
  for (const intent of ['question', 'suggestion', 'churn_threat', 'escalation_threat'] as const) {
    if (cues.has(intent)) found.add(intent);
  }
  if ((label === 'negative' && (score >= o.negativeAlone || cues.has('complaint'))) || (cues.has('complaint') && label !== 'positive')) {
    found.add('complaint');
  }
  if (found.has('churn_threat') || found.has('escalation_threat')) found.add('complaint');
  const courtesy = cues.has('courtesy') && label === 'positive' && !found.has('question');
  if ((label === 'positive' && (score >= o.positiveAlone || cues.has('praise') || courtesy)) || (cues.has('praise') && label === 'neutral')) {
    found.add('praise');
  }
  return INTENTS.filter((i) => found.has(i));
}
