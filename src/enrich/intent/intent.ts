/**
 * Intent = multilingual cue rules (cues.ts) combined with the sentiment model: a clearly negative mention
 * is a complaint and a clearly positive one praise even without a cue word; a cue needs the sentiment not
 * to contradict it (sarcastic "thanks for nothing" is negative, so it is no praise).
 */
import type { Enrichment } from '../enricher.ts';
import { cueIntents, INTENTS, type Intent } from './cues.ts';

export interface IntentOptions {
  /** Sentiment confidence from which negative alone means complaint and positive alone means praise. */
  sentimentAlone: number;
}

export const DEFAULT_INTENT: IntentOptions = { sentimentAlone: 0.6 };

/** Intents of one text in taxonomy order, given its sentiment (null when unknown). */
export function detectIntents(text: string, sentiment: Enrichment['sentiment'], o: IntentOptions = DEFAULT_INTENT): Intent[] {
  const cues = cueIntents(text);
  const label = sentiment?.label;
  const sure = (sentiment?.score ?? 0) >= o.sentimentAlone;
  const found = new Set<Intent>();
  for (const intent of ['question', 'suggestion', 'churn_threat', 'escalation_threat'] as const) {
    if (cues.has(intent)) found.add(intent);
  }
  if ((label === 'negative' && (sure || cues.has('complaint'))) || (cues.has('complaint') && label !== 'positive')) {
    found.add('complaint');
  }
  if (found.has('churn_threat') || found.has('escalation_threat')) found.add('complaint');
  if ((label === 'positive' && (sure || cues.has('praise'))) || (cues.has('praise') && label === 'neutral')) {
    found.add('praise');
  }
  return INTENTS.filter((i) => found.has(i));
}
