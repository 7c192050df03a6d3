/**
 * Compares single-model sentiment recipes on UMSAB val and by 5-fold CV (airline-en, airline-es, GermEval dev).
 * Usage: node --import tsx scripts/nlp/sentiment-experiment.ts '{"epochs":5}' '{"epochs":10}' ...
 */
import { loadAll } from '../../src/enrich/data/datasets.ts';
import { crossValidate, labelOf, scoreUmsabVal } from '../../src/enrich/eval/sentiment.eval.ts';
import { probabilities } from '../../src/enrich/linear/model.ts';
import { detectLanguage } from '../../src/enrich/language.enricher.ts';
import { trainSentiment, type SentimentTrainOptions } from '../../src/enrich/sentiment/sentiment.train.ts';
import { DEFAULT_FEATURES, featurize, type SparseVector } from '../../src/enrich/text/features.ts';

const { train, umsabVal } = loadAll('datasets');
const langTrain = train.map((r) => detectLanguage(r.text).lang);
const langVal = umsabVal.map((r) => detectLanguage(r.text).lang);
const variants = process.argv.slice(2).map((a) => JSON.parse(a) as Partial<SentimentTrainOptions>);
if (!variants.length) variants.push({});
for (const v of variants) {
  const features = { ...DEFAULT_FEATURES, ...(v.features ?? {}) };
  const opts = { ...v, features };
  const t0 = performance.now();
  const xt = train.map((r, i) => featurize(r.text, langTrain[i], features));
  const xv = umsabVal.map((r, i) => featurize(r.text, langVal[i], features));
  const model = trainSentiment(train, xt, opts);
  const um = scoreUmsabVal(umsabVal, xv.map((x) => labelOf(probabilities(model, x))));
  const cv = crossValidate(train, (use) => {
    const m = trainSentiment(train, xt, opts, use);
    return (i) => labelOf(probabilities(m, xt[i] as SparseVector));
  });
  const mean = um.reduce((a, s) => a + s.macroF1, 0) / um.length;
  console.log(JSON.stringify(v), `${((performance.now() - t0) / 1000).toFixed(0)}s`);
  console.log(`  umsab mean ${mean.toFixed(3)} ` + um.map((s) => `${s.dataset.slice(6)} ${s.macroF1.toFixed(3)}`).join(' '));
  console.log('  ' + cv.map((s) => `${s.dataset} acc ${s.accuracy.toFixed(3)} mF1 ${s.macroF1.toFixed(3)}`).join(' | '));
}
