import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (SQLite file or DATABASE_URL) and exit')
    .option('--db <path>', 'SQLite file (default ./data/earshot.db; ignored when DATABASE_URL is set)')
    .action(async (opts: { db?: string }) => {
      const { loadConfig } = await import('../../config.ts');
      const { openDb } = await import('../../db/connection.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const config = loadConfig(process.env, opts.db ? { DB_PATH: opts.db } : {});
      const db = await openDb(config.database);
      try {
        const report = await migrateToLatest(db);
        console.log(report.applied.length ? `applied: ${report.applied.join(', ')}` : 'database is up to date');
      } finally {
        await db.close();
      }
    });
}
