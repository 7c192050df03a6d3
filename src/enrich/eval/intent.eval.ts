/**
 * Intent measured on the hand-labelled mentions in models/labels/intent.jsonl (see docs/models.md):
 * the cues were written and adjusted on the `dev` half only; the `test` half is the reported figure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runEnrichers } from '../enricher.ts';
import { INTENTS } from '../intent/cues.ts';
import { DEFAULT_MODEL_DIR, type ModelBundle } from '../model-store.ts';
import { createEnrichers } from '../understanding.ts';
import type { EvalRow } from './evaluate.ts';

export interface IntentLabel {
  id: string;
  lang: string;
  split: 'dev' | 'test';
  intents: string[];
  text: string;
}

export function loadIntentLabels(file = path.join(DEFAULT_MODEL_DIR, 'labels/intent.jsonl')): IntentLabel[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as IntentLabel);
}

/** Micro-F1 over all (mention, intent) pairs, plus per-intent F1 where the split has examples. */
export function scoreIntents(gold: string[][], predicted: string[][]): { micro: number; perIntent: Record<string, { f1: number; support: number }> } {
  const count = (intent?: string) => {
    let tp = 0, fp = 0, fn = 0, support = 0;
    gold.forEach((g, i) => {
      for (const x of INTENTS) {
        if (intent && x !== intent) continue;
        const inG = g.includes(x);
        const inP = (predicted[i] as string[]).includes(x);
        if (inG) support++;
        if (inG && inP) tp++;
        else if (inP) fp++;
        else if (inG) fn++;
      }
    });
    return { f1: tp ? (2 * tp) / (2 * tp + fp + fn) : 0, support };
  };
  const perIntent: Record<string, { f1: number; support: number }> = {};
  for (const intent of INTENTS) perIntent[intent] = count(intent);
  return { micro: count().f1, perIntent };
}

export function evaluateIntents(bundle: ModelBundle, split: 'dev' | 'test' = 'test'): EvalRow[] {
  const labels = loadIntentLabels().filter((l) => l.split === split);
  const enrichers = createEnrichers(bundle);
  const predicted = labels.map((l) => runEnrichers(enrichers, { text: l.text }).intents);
  const scores = scoreIntents(labels.map((l) => l.intents), predicted);
  const how = `hand-labelled ${split} half`;
  const rows: EvalRow[] = [{ task: 'intent', dataset: 'de/es/en mentions', n: labels.length, metric: 'micro-F1', value: scores.micro, how }];
  for (const [intent, s] of Object.entries(scores.perIntent)) {
    if (s.support) rows.push({ task: 'intent', dataset: intent, n: s.support, metric: 'F1', value: s.f1, how });
  }
  return rows;
}
