/**
 * Case priority = negativity × author reach × intent × repeat, each factor explained, scaled to 0–100.
 * Pure; the weights are the product's opinion and are documented here rather than hidden.
 */

export interface PriorityInput {
  /** 'negative' | 'neutral' | 'positive' | null, with the model's confidence. */
  sentiment: { label: string; score: number | null } | null;
  followers: number | null;
  intents: readonly string[];
  /** Earlier cases of the same person in the repeat window. */
  repeatCount: number;
}

export interface PriorityFactor {
  name: 'negativity' | 'reach' | 'intent' | 'repeat';
  value: number;
  because: string;
}

export interface Priority {
  score: number;
  factors: PriorityFactor[];
}

const INTENT_WEIGHT: Record<string, number> = { churn_threat: 3, escalation_threat: 3, complaint: 2, question: 1.3, suggestion: 1, praise: 0.8 };
/** The largest raw product (negativity 1, reach 6, intent 3, repeat 3) maps to 100. */
const MAX_RAW = 1 * 6 * 3 * 3;

function negativity(s: PriorityInput['sentiment']): PriorityFactor {
  if (!s) return { name: 'negativity', value: 0.5, because: 'no sentiment known' };
  const conf = s.score ?? 0.7;
  if (s.label === 'negative') return { name: 'negativity', value: round(0.5 + 0.5 * conf), because: `negative (confidence ${conf.toFixed(2)})` };
  if (s.label === 'positive') return { name: 'negativity', value: round(0.3 - 0.2 * conf), because: `positive (confidence ${conf.toFixed(2)})` };
  return { name: 'negativity', value: 0.4, because: 'neutral' };
}

function reach(followers: number | null): PriorityFactor {
  const f = Math.max(0, followers ?? 0);
  return { name: 'reach', value: round(Math.min(6, 1 + Math.log10(1 + f))), because: followers === null ? 'audience unknown' : `${f.toLocaleString('en')} followers` };
}

function intent(intents: readonly string[]): PriorityFactor {
  const top = [...intents].sort((a, b) => (INTENT_WEIGHT[b] ?? 1) - (INTENT_WEIGHT[a] ?? 1))[0];
  return { name: 'intent', value: top ? (INTENT_WEIGHT[top] ?? 1) : 1, because: top ? top.replace('_', ' ') : 'no intent recognized' };
}

function repeat(n: number): PriorityFactor {
  const value = Math.min(3, 1 + 0.5 * n);
  return { name: 'repeat', value, because: n === 0 ? 'first case in 21 days' : `${ordinal(n + 1)} case in 21 days` };
}

export function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

const round = (v: number) => Math.round(v * 100) / 100;

export function computePriority(input: PriorityInput): Priority {
  const factors = [negativity(input.sentiment), reach(input.followers), intent(input.intents), repeat(input.repeatCount)];
  const raw = factors.reduce((p, f) => p * f.value, 1);
  return { score: Math.round(Math.min(100, (100 * raw) / MAX_RAW) * 10) / 10, factors };
}
