/** `earshot train`: trains the sentiment, topic and relevance models from `datasets/` into `models/`. */
import type { Command } from 'commander';

interface TrainFlags {
  seed: string;
  out: string;
  data: string;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train the understanding models from the bundled datasets (deterministic given --seed)')
    .option('--seed <n>', 'random seed', '1')
    .option('--out <dir>', 'where to write the model files', 'models')
    .option('--data <dir>', 'the bundled datasets folder', 'datasets')
    .action(async (flags: TrainFlags) => {
      const { loadAll } = await import('../../enrich/data/datasets.ts');
      const { featurizeRows, trainBundle } = await import('../../enrich/recipe.ts');
      const { saveModelBundle } = await import('../../enrich/model-store.ts');
      const started = Date.now();
      const { train } = loadAll(flags.data);
      const vectors = featurizeRows(train);
      const bundle = trainBundle(train, vectors, Number(flags.seed));
      for (const { file, bytes } of saveModelBundle(bundle, flags.out)) {
        console.log(`wrote ${file} (${(bytes / 2 ** 20).toFixed(1)} MiB)`);
      }
      console.log(`trained on ${train.length} rows in ${((Date.now() - started) / 1000).toFixed(0)} s, seed ${flags.seed}`);
    });
}
