import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('check')
    .description('check the configuration, the database connection and the migrations; prints ✓ or ✗ for each step')
    .option('--db <path>', 'SQLite file (default ./data/earshot.db; ignored when DATABASE_URL is set)')
    .action(async (opts: { db?: string }) => {
      const { runChecks } = await import('../check.ts');
      process.exitCode = (await runChecks(opts)) ? 0 : 1;
    });
}
