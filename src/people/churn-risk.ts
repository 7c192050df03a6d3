/**
 * Repeat-complainer flag and churn-risk indicator of a person (pure), from their recent cases and mentions.
 * "3rd complaint in 21 days" is the story of the customer who came back for 21 days; a stated churn threat
 * counts most, then repetition, then how negative they have been lately.
 */
import { ordinal } from '../inbox/priority.ts';

export const REPEAT_WINDOW_MS = 21 * 86_400_000;

export interface PersonHistory {
  /** Opening times of the person's cases (any brand). */
  caseOpenedAt: number[];
  /** Recent mentions (last 90 days): sentiment label and intents. */
  mentions: { at: number; sentiment: string | null; intents: string[] }[];
}

export interface ChurnRisk {
  level: 'low' | 'medium' | 'high';
  score: number;
  reasons: string[];
}

/** "3rd complaint in 21 days" when the person opened 3 or more cases in the last 21 days, else null. */
export function repeatComplainer(h: PersonHistory, now: number): string | null {
  const n = h.caseOpenedAt.filter((t) => t > now - REPEAT_WINDOW_MS && t <= now).length;
  return n >= 3 ? `${ordinal(n)} complaint in 21 days` : null;
}

export function churnRisk(h: PersonHistory, now: number): ChurnRisk {
  const recent = h.mentions.filter((m) => m.at > now - 90 * 86_400_000);
  const threats = recent.filter((m) => m.intents.includes('churn_threat')).length;
  const cases21 = h.caseOpenedAt.filter((t) => t > now - REPEAT_WINDOW_MS).length;
  const negShare = recent.length ? recent.filter((m) => m.sentiment === 'negative').length / recent.length : 0;
  const reasons: string[] = [];
  let score = 0;
  if (threats) {
    score += 0.5;
    reasons.push(`${threats} churn threat${threats > 1 ? 's' : ''} in 90 days`);
  }
  if (cases21 >= 2) {
    score += Math.min(0.3, 0.1 * cases21);
    reasons.push(`${cases21} cases in 21 days`);
  }
  if (negShare >= 0.5 && recent.length >= 2) {
    score += 0.2 * negShare;
    reasons.push(`${Math.round(negShare * 100)} % of recent mentions negative`);
  }
  score = Math.min(1, Math.round(score * 100) / 100);
  return { level: score >= 0.6 ? 'high' : score >= 0.3 ? 'medium' : 'low', score, reasons };
}
