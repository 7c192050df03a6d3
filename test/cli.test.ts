import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/earshot.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-cli-'));
const env = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info' };
const earshot = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, cwd: dir });

after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('earshot CLI', () => {
  it('imports a file once, however often it is run, and lists the source', () => {
    const db = path.join(dir, 'import.db');
    const file = path.join(root, 'test/fixtures/import/twcs_sample.csv');
    const first = earshot('import', file, '--brand', 'Support', '--db', db);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /93 new mentions, 0 already stored/);
    const again = earshot('import', file, '--brand', 'Support', '--db', db);
    assert.match(again.stdout, /0 new mentions/);
    const list = earshot('sources', 'list', '--db', db);
    assert.match(list.stdout, /file\s+finished\s+stored\s+93/);
    const bad = earshot('import', file, '--brand', 'Support', '--db', db, '--map', 'txt=body');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown field "txt"/);
  });

  it('`serve --demo` on an empty database shows live mentions in the API within 30 seconds', async () => {
    const db = path.join(dir, 'demo.db');
    const child = spawn(process.execPath, [bin, 'serve', '--demo', '--port', '0', '--db', db], { env, cwd: dir });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/[^\s"]+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const started = Date.now();
      let count = 0;
      while (Date.now() - started < 30_000 && count < 3) {
        const res = await fetch(`${url}/api/workspaces/1/mentions?limit=10`);
        count = ((await res.json()) as { items: unknown[] }).items.length;
        if (count < 3) await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(count >= 3, `mentions arrived (${count})`);
      const sources = (await (await fetch(`${url}/api/workspaces/1/sources`)).json()) as { items: { kind: string }[] };
      assert.deepEqual(sources.items.map((s) => s.kind), ['demo', 'demo', 'demo']);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
