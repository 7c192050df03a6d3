/**
 * NAB benchmark: runs `earshot nab` (the radar detector, one fixed configuration) over the Numenta Anomaly
 * Benchmark files in ../shared/data/nab/data and scores the output with the shared scorer at threshold 0.5,
 * printing the standard, reward_low_FP_rate and reward_low_FN_rate scores overall and per category.
 * Skips, with a message, when the shared data is not beside the repository.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listNabFiles, runNab } from '../src/cli/commands/nab.ts';

interface SubsetScore {
  files: number;
  windows: number;
  tp: number;
  fn: number;
  fp: number;
  nab: number | null;
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nabDir = path.resolve(repo, '../shared/data/nab');
const dataDir = path.join(nabDir, 'data');
const scorer = path.join(nabDir, 'score.mjs');

if (!fs.existsSync(dataDir) || !fs.existsSync(scorer)) {
  console.log(`nab: skipped — no NAB data at ${nabDir} (expects shared/ beside the repository)`);
  process.exit(0);
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-nab-bench-'));
try {
  const started = performance.now();
  const { files, points } = await runNab(dataDir, out);
  const seconds = (performance.now() - started) / 1000;
  console.log(`nab: ${points} points in ${files} files in ${seconds.toFixed(1)} s (${Math.round(points / seconds)} points/s, detector + CSV I/O)`);
  const categories = [...new Set(listNabFiles(dataDir).map((f) => f.split('/')[0]!))];
  const args = [scorer, '--results', out, '--threshold', '0.5', '--json', '--subset', categories.join(',')];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`scorer failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { profiles: Record<string, { subsets: Record<string, SubsetScore> }> };
  console.log(`command: node bin/earshot.mjs nab --data ${path.relative(repo, dataDir)} --out OUT && node ${path.relative(repo, scorer)} --results OUT --threshold 0.5`);
  console.log(`${'profile'.padEnd(20)}${'subset'.padEnd(24)}${'files'.padStart(6)}${'windows'.padStart(8)}${'TP'.padStart(5)}${'FN'.padStart(5)}${'FP'.padStart(5)}${'NAB'.padStart(8)}`);
  for (const [profile, entry] of Object.entries(report.profiles)) {
    for (const name of ['ALL', ...categories]) {
      const s = entry.subsets[name];
      if (!s) continue;
      const nab = s.nab === null ? '—' : s.nab.toFixed(1);
      console.log(`${profile.padEnd(20)}${name.padEnd(24)}${String(s.files).padStart(6)}${String(s.windows).padStart(8)}${String(s.tp).padStart(5)}${String(s.fn).padStart(5)}${String(s.fp).padStart(5)}${nab.padStart(8)}`);
    }
  }
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
