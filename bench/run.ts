/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so peak memory is measured per
 * benchmark) and prints what each reports. Pass names to run a subset: `npm run bench -- ingest`.
 * Benchmarks print their figures; BENCHMARKS.md records them with the command, machine and date.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const dir = path.dirname(new URL(import.meta.url).pathname);
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filters.length || filters.some((q) => f.includes(q)))
  .sort();

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(`date: ${new Date().toISOString()}`);
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
