#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node:test through tsx (Node 20's --test has no globs).
// Refuses focused tests (.only) so that CI never silently runs a subset, and shuffles file order so
// that tests do not come to depend on each other. Pass file paths or substrings to run a subset.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = ['src', 'test'];
const filters = process.argv.slice(2);

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(p);
    return /\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

let files = roots.flatMap(walk);
if (filters.length) files = files.filter((f) => filters.some((q) => f.includes(q)));
const focused = files.filter((f) => /\b(it|test|describe)\.only\(|\bonly:\s*true/.test(fs.readFileSync(f, 'utf8')));
if (focused.length && process.env.CI) {
  console.error(`Focused tests are not allowed in CI: ${focused.join(', ')}`);
  process.exit(1);
}
for (let i = files.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [files[i], files[j]] = [files[j], files[i]];
}
if (!files.length) {
  console.error('No test files found.');
  process.exit(1);
}
/**
 * PostgreSQL test schemas (t_ + 12 hex digits) are dropped here, before and after the run, never while tests
 * run: a DROP SCHEMA racing another file's migration breaks Kysely's catalog introspection.
 */
async function dropTestSchemas() {
  if (!process.env.TEST_DATABASE_URL) return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT nspname FROM pg_namespace WHERE nspname ~ '^t_[0-9a-f]{12}$'`);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}

await dropTestSchemas();
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
await dropTestSchemas();
process.exit(result.status ?? 1);
