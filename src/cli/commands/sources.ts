import type { Command } from 'commander';

interface DbOpts {
  db?: string;
  workspace?: string;
}

export function register(program: Command): void {
  const sources = program.command('sources').description('list, add and remove the sources of a workspace');
  const withDb = (c: Command) => c.option('--db <path>', 'SQLite file (default ./data/earshot.db; ignored when DATABASE_URL is set)').option('--workspace <id>', 'workspace id (default: the first)');

  withDb(sources.command('list').description('sources with their status, last fetch and last error')).action(async (opts: DbOpts) => {
    const { listSourcesCli } = await import('../sources-cli.ts');
    await listSourcesCli(opts);
  });
  withDb(
    sources
      .command('add')
      .description('add a source; settings are checked for its kind (see GET /api/source-kinds)')
      .requiredOption('--kind <kind>', 'rss, webhook, file, demo, …')
      .requiredOption('--name <name>', 'a name unique in the workspace')
      .option('--url <url>', 'shorthand for --settings \'{"url": …}\' (feeds)')
      .option('--settings <json>', 'settings as JSON', '{}')
      .option('--brand <name>', 'every item of this source belongs to this brand (default: match brand queries)'),
  ).action(async (opts: DbOpts & { kind: string; name: string; url?: string; settings: string; brand?: string }) => {
    const { addSourceCli } = await import('../sources-cli.ts');
    await addSourceCli(opts);
  });
  withDb(sources.command('remove').description('remove a source and the mentions it brought in').argument('<id>', 'source id')).action(async (id: string, opts: DbOpts) => {
    const { removeSourceCli } = await import('../sources-cli.ts');
    await removeSourceCli(Number(id), opts);
  });
}
