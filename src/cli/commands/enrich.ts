/** `earshot enrich --in FILE.jsonl --out FILE.jsonl`: enriches mentions offline with the committed models. */
import type { Command } from 'commander';
import fs from 'node:fs';
import { finished } from 'node:stream/promises';

interface EnrichFlags {
  in: string;
  out: string;
  models?: string;
}

export function register(program: Command): void {
  program
    .command('enrich')
    .description('add lang, sentiment, topics, intents and relevance to each {"id","text"} line of a JSONL file')
    .requiredOption('--in <file>', 'input JSONL ("-" for stdin)')
    .requiredOption('--out <file>', 'output JSONL ("-" for stdout)')
    .option('--models <dir>', 'model folder (default: the committed models/)')
    .action(async (flags: EnrichFlags) => {
      const { loadModelBundle } = await import('../../enrich/model-store.ts');
      const { createEnrichers } = await import('../../enrich/understanding.ts');
      const { enrichJsonl } = await import('../../enrich/jsonl-enrich.ts');
      const enrichers = createEnrichers(loadModelBundle(flags.models));
      const input = flags.in === '-' ? process.stdin : fs.createReadStream(flags.in);
      const output = flags.out === '-' ? process.stdout : fs.createWriteStream(flags.out);
      const result = await enrichJsonl(input, output, enrichers, (line, reason) => {
        console.error(`earshot enrich: ${flags.in}:${line}: skipped: ${reason}`);
      });
      if (output !== process.stdout) {
        output.end();
        await finished(output);
      }
      console.error(`earshot enrich: ${result.written} enriched, ${result.bad} bad of ${result.read} lines`);
    });
}
