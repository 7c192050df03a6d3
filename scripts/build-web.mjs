#!/usr/bin/env node
// Builds the dashboard (web/ → web/dist) with Vite. Run by `npm install` (postinstall) and `npm start`
// (prestart, with --if-stale: only when a source file changed since the last build). Builds into a temporary folder and renames it into place, so two builds at
// once (parallel tests) never leave a half-written web/dist. Without Vite (a production install that left out
// dev dependencies) it explains what to do and exits 0, so installing never fails because of the dashboard.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');
const dist = path.join(webDir, 'dist');

/** Newest modification time of the dashboard's sources (web/src, index.html, vite config, package.json). */
function sourcesMtime() {
  const walk = (p) => {
    const st = fs.statSync(p);
    return st.isDirectory() ? Math.max(st.mtimeMs, ...fs.readdirSync(p).map((e) => walk(path.join(p, e)))) : st.mtimeMs;
  };
  return Math.max(walk(path.join(webDir, 'src')), ...['index.html', 'vite.config.ts', '../package.json'].map((f) => fs.statSync(path.join(webDir, f)).mtimeMs));
}

/** True when web/dist exists and is newer than every source file. */
export function isBuildFresh() {
  const index = path.join(dist, 'index.html');
  return fs.existsSync(index) && fs.statSync(index).mtimeMs >= sourcesMtime();
}

/**
 * Builds web/dist. `ifMissing`: only when there is none; `ifStale`: only when a source file is newer than it.
 * @returns true when a build exists afterwards.
 */
export async function buildWeb({ ifMissing = false, ifStale = false, quiet = false } = {}) {
  if (ifMissing && fs.existsSync(path.join(dist, 'index.html'))) return true;
  if (ifStale && isBuildFresh()) return true;
  let vite;
  try {
    vite = await import('vite');
  } catch {
    console.warn('earshot: Vite is not installed, so the dashboard was not built. Run `npm install` (with dev dependencies) and then `npm run build:web`.');
    return false;
  }
  const tmp = path.join(webDir, `.dist-${process.pid}-${Date.now()}`);
  try {
    await vite.build({ configFile: path.join(webDir, 'vite.config.ts'), root: webDir, logLevel: quiet ? 'warn' : 'info', build: { outDir: tmp, emptyOutDir: true } });
    // Another build (a parallel test) may have finished first; the newest one wins either way.
    fs.rmSync(dist, { recursive: true, force: true });
    fs.renameSync(tmp, dist);
    return true;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ok = await buildWeb({ ifMissing: process.argv.includes('--if-missing'), ifStale: process.argv.includes('--if-stale') });
  if (ok) console.log(`earshot: dashboard ready in ${path.relative(process.cwd(), dist) || dist}`);
}
