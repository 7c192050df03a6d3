/**
 * `earshot nab --data DIR --out DIR`: the Numenta Anomaly Benchmark contract. Runs the radar's detector,
 * with its one fixed configuration, over every `DIR/<category>/<file>.csv` (`timestamp,value`) and writes
 * `OUT/<category>/<file>.csv` with `timestamp,value,anomaly_score`; a score ≥ 0.5 is an alert.
 * Score the output with `node ../shared/data/nab/score.mjs --results OUT --threshold 0.5`.
 */
import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../lib/errors.ts';

/** One data file found under the NAB data directory, as `<category>/<file>.csv`. */
export function listNabFiles(dataDir: string): string[] {
  const out: string[] = [];
  for (const cat of fs.readdirSync(dataDir, { withFileTypes: true })) {
    if (!cat.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(dataDir, cat.name), { withFileTypes: true })) {
      if (f.isFile() && f.name.toLowerCase().endsWith('.csv')) out.push(`${cat.name}/${f.name}`);
    }
  }
  return out.sort();
}

/** Runs the benchmark contract; returns the number of files and points scored. */
export async function runNab(dataDir: string, outDir: string): Promise<{ files: number; points: number }> {
  const { formatNabResults, parseNabCsv, scoreNabSeries } = await import('../../radar/detectors/nab.ts');
  const files = listNabFiles(dataDir);
  let points = 0;
  for (const rel of files) {
    const series = parseNabCsv(fs.readFileSync(path.join(dataDir, rel), 'utf8'));
    const scores = scoreNabSeries(series);
    fs.mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(outDir, rel), formatNabResults(series, scores));
    points += series.length;
  }
  return { files: files.length, points };
}

export function register(program: Command): void {
  program
    .command('nab')
    .description('Run the anomaly detector over a NAB data layout (DIR/<category>/<file>.csv) and write scores')
    .requiredOption('--data <dir>', 'NAB data directory')
    .requiredOption('--out <dir>', 'directory for the results (same layout, adds anomaly_score)')
    .action(async (opts: { data: string; out: string }) => {
      if (!fs.existsSync(opts.data)) throw new AppError('bad_request', `no such directory: ${opts.data}`);
      const started = Date.now();
      const { files, points } = await runNab(opts.data, opts.out);
      if (!files) throw new AppError('bad_request', `no <category>/<file>.csv under ${opts.data}`);
      console.log(`scored ${points} points in ${files} files in ${((Date.now() - started) / 1000).toFixed(1)} s → ${opts.out}`);
    });
}
