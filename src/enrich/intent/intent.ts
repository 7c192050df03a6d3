/**
 * Intent = multilingual cue rules (cues.ts) combined with the sentiment model: a clearly negative mention
 * is a complaint and a clearly positive one praise even without a cue word; a cue needs the sentiment not
 * to contradict it (sarcastic "thanks for nothing" is negative, so it is no praise).
 */
import type { Enrichment } from '../enricher.ts';
import { bit, cueMask, INTENTS, type Intent } from './cues.ts';

export interface IntentOptions {
  /** Sentiment confidence from which a negative mention is a complaint without any cue. */
  negativeAlone: number;
  /** Sentiment confidence from which a positive mention is praise without any cue. */
  positiveAlone: number;
}

export const DEFAULT_INTENT: IntentOptions = { negativeAlone: 0.6, positiveAlone: 0.7 };

const QUESTION = bit('question');
const COMPLAINT = bit('complaint');
const PRAISE = bit('praise');
const COURTESY = bit('courtesy');
const THREATS = bit('churn_threat') | bit('escalation_threat');
/** Intents that a cue gives on its own, whatever the sentiment. */
const CUE_ALONE = QUESTION | bit('suggestion') | THREATS;
const INTENT_BITS = INTENTS.map(bit);

/** Intents of one text in taxonomy order, given its tokens and its sentiment (null when unknown). */
export function detectIntents(
  tokens: readonly string[], text: string, sentiment: Enrichment['sentiment'], o: IntentOptions = DEFAULT_INTENT,
): Intent[] {
  const mask = cueMask(tokens, text);
  const label = sentiment?.label;
  const score = sentiment?.score ?? 0;
  let found = mask & CUE_ALONE;
  const complaintCue = (mask & COMPLAINT) !== 0;
  if ((label === 'negative' && (score >= o.negativeAlone || complaintCue)) || (complaintCue && label !== 'positive')) found |= COMPLAINT;
  if (found & THREATS) found |= COMPLAINT;
  const praiseCue = (mask & PRAISE) !== 0;
  const courtesy = (mask & COURTESY) !== 0 && label === 'positive' && (found & QUESTION) === 0;
  if ((label === 'positive' && (score >= o.positiveAlone || praiseCue || courtesy)) || (praiseCue && label === 'neutral')) found |= PRAISE;
  return found === 0 ? [] : INTENTS.filter((_, i) => (found & (INTENT_BITS[i] as number)) !== 0);
}
