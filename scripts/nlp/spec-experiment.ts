/**
 * Topic macro-F1 (airline reason → taxonomy, 5-fold CV) and fast-language accuracy (UMSAB val) under
 * different feature specs, to pick the cheapest spec that keeps the quality.
 * Usage: node --import tsx scripts/nlp/spec-experiment.ts '{"charMax":0}' ...
 */
import { loadAll } from '../../src/enrich/data/datasets.ts';
import { evaluateTopics } from '../../src/enrich/eval/evaluate.ts';
import { argmax, probabilities } from '../../src/enrich/linear/model.ts';
import { trainLinear } from '../../src/enrich/linear/train.ts';
import { FAST_LANGUAGES, FEATURES, featurizeRows } from '../../src/enrich/recipe.ts';
import { featurize, type FeatureSpec } from '../../src/enrich/text/features.ts';

const { train, umsabVal } = loadAll('datasets');
for (const arg of process.argv.slice(2)) {
  const spec: FeatureSpec = { ...FEATURES, ...(JSON.parse(arg) as Partial<FeatureSpec>) };
  const topics = evaluateTopics(train, featurizeRows(train, spec), spec);
  const examples = train.flatMap((r) => (FAST_LANGUAGES.includes(r.lang) ? [{ x: featurize(r.text, null, spec), y: FAST_LANGUAGES.indexOf(r.lang), w: 1 }] : []));
  const lid = trainLinear(examples, FAST_LANGUAGES, spec, { bits: 16, epochs: 3, rate: 0.1, seed: 1 });
  const val = umsabVal.filter((r) => ['de', 'en', 'es', 'fr', 'it', 'pt'].includes(r.lang));
  const ok = val.filter((r) => FAST_LANGUAGES[argmax(probabilities(lid, featurize(r.text, null, spec)))] === r.lang).length;
  console.log(arg, `topics macro-F1 ${topics.value.toFixed(3)}`, `lid acc (6 langs) ${(ok / val.length).toFixed(3)}`);
}
