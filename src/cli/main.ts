/**
 * The `earshot` command line. Each command lives in `commands/<name>.ts` and exports `register(program)`;
 * heavy modules (models, database drivers) are imported inside the action so that `earshot --help` is fast.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import { limitHeapGrowth } from '../lib/heap.ts';
import * as serve from './commands/serve.ts';
import * as migrate from './commands/migrate.ts';
import * as importCmd from './commands/import.ts';
import * as sources from './commands/sources.ts';
import * as check from './commands/check.ts';
import * as train from './commands/train.ts';
import * as evalCmd from './commands/eval.ts';
import * as enrich from './commands/enrich.ts';
import * as nab from './commands/nab.ts';

const COMMANDS: { register(program: Command): void }[] = [serve, migrate, check, importCmd, sources, nab, train, evalCmd, enrich];

export async function main(argv: string[]): Promise<void> {
  limitHeapGrowth();
  const program = new Command('earshot')
    .description('Earshot: hear every customer, catch crises early, answer every complaint.')
    .showHelpAfterError()
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    if (err instanceof ConfigError || err instanceof AppError) {
      console.error(`earshot: ${err.message}`);
      if (err instanceof ValidationError) for (const [field, problem] of Object.entries(err.fields)) console.error(`  ${field}: ${problem}`);
      process.exit(2);
    }
    throw err;
  }
}
