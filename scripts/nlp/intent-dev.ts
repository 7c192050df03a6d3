/**
 * Prints intent scores and disagreements on the dev half of models/labels/intent.jsonl: the half the
 * cue lists were tuned on. The test half is only scored, by `earshot eval`.
 */
import { runEnrichers } from '../../src/enrich/enricher.ts';
import { evaluateIntents, loadIntentLabels } from '../../src/enrich/eval/intent.eval.ts';
import { loadModelBundle } from '../../src/enrich/model-store.ts';
import { createEnrichers } from '../../src/enrich/understanding.ts';

const bundle = loadModelBundle();
console.table(evaluateIntents(bundle, 'dev'));
const enrichers = createEnrichers(bundle);
for (const l of loadIntentLabels().filter((x) => x.split === 'dev')) {
  const got = runEnrichers(enrichers, { text: l.text }).intents;
  if (got.join() !== l.intents.join()) console.log(`gold ${l.intents.join() || '-'} | got ${got.join() || '-'} | ${l.text.slice(0, 140)}`);
}
