/** `earshot eval`: per-dataset metrics on the splits we have (UMSAB val; 5-fold CV elsewhere). */
import type { Command } from 'commander';

interface EvalFlags {
  json?: boolean;
  data: string;
  models?: string;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('measure the models: UMSAB val with the committed model, 5-fold CV of the recipe elsewhere')
    .option('--json', 'print JSON instead of a table')
    .option('--data <dir>', 'the bundled datasets folder', 'datasets')
    .option('--models <dir>', 'model folder (default: the committed models/)')
    .action(async (flags: EvalFlags) => {
      const { loadAll } = await import('../../enrich/data/datasets.ts');
      const { featurizeRows, TOPIC_FEATURES } = await import('../../enrich/recipe.ts');
      const { loadModelBundle } = await import('../../enrich/model-store.ts');
      const { evaluateRelevance, evaluateSentiment, evaluateTopics } = await import('../../enrich/eval/evaluate.ts');
      const { evaluateIntents } = await import('../../enrich/eval/intent.eval.ts');
      const bundle = loadModelBundle(flags.models);
      const { train, umsabVal } = loadAll(flags.data);
      const vectors = featurizeRows(train);
      const rows = [
        ...evaluateSentiment(bundle, train, vectors, umsabVal),
        evaluateTopics(train, featurizeRows(train, TOPIC_FEATURES)),
        ...evaluateRelevance(train, vectors),
        ...evaluateIntents(bundle),
      ];
      if (flags.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      console.table(rows.map((r) => ({ ...r, value: Number(r.value.toFixed(3)) })));
    });
}
