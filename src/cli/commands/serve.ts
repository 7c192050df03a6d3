import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('serve')
    .description('start the Earshot server (API, live stream, source polling); migrations are applied on start')
    .option('-p, --port <port>', 'port to listen on (default 8080, or PORT)')
    .option('--host <host>', 'interface to bind (default 127.0.0.1, or HOST)')
    .option('--db <path>', 'SQLite file (default ./data/earshot.db; ignored when DATABASE_URL is set)')
    .option('--demo', 'when the database is empty, create a demo workspace that replays real public tweets live')
    .action(async (opts: { port?: string; host?: string; db?: string; demo?: boolean }) => {
      const { loadConfig } = await import('../../config.ts');
      const { createApp } = await import('../../app.ts');
      const { seedDemoIfEmpty } = await import('../../demo/demo.seed.ts');
      const config = loadConfig(process.env, {
        ...(opts.port ? { PORT: opts.port } : {}),
        ...(opts.host ? { HOST: opts.host } : {}),
        ...(opts.db ? { DB_PATH: opts.db } : {}),
        ...(opts.demo ? { EARSHOT_DEMO: 'auto' } : {}),
      });
      const app = await createApp(config);
      if (config.demo.mode === 'auto') await seedDemoIfEmpty(app.ctx);
      const url = await app.listen();
      app.ctx.logger.info({ url, database: app.ctx.db.describe }, `Earshot is listening on ${url} (API docs: ${url}/api/docs)`);
      const shutdown = async (signal: string) => {
        app.ctx.logger.info({ signal }, 'shutting down: finishing the current batches');
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
