import type { Command } from 'commander';
import type { ImportArgs } from '../import-file.ts';

export function register(program: Command): void {
  program
    .command('import')
    .description('import mentions from a CSV or JSONL file (idempotent: importing again stores nothing twice; an interrupted import resumes)')
    .argument('<file>', 'CSV (comma or semicolon, header row) or JSONL file')
    .requiredOption('--brand <name>', 'brand the mentions belong to (created with the query "<name>" if it does not exist)')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .option('--map <pairs>', 'column mapping, e.g. text=body,time=created_at,externalId=id,author=user (fields: externalId,text,title,url,time,author,authorName,followers,lang,likes,shares,replies,views,parent,channel)')
    .option('--channel <name>', 'channel shown for rows without one (default "import")')
    .option('--db <path>', 'SQLite file (default ./data/earshot.db; ignored when DATABASE_URL is set)')
    .option('--workspace <id>', 'workspace id (default: the first)')
    .action(async (file: string, opts: ImportArgs) => {
      const { runImport } = await import('../import-file.ts');
      const code = await runImport(file, opts);
      process.exitCode = code;
    });
}
