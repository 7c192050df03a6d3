/**
 * How the server hands out the dashboard (no browser needed): the app shell for client-side routes, hashed
 * assets, the JSON 404 for unknown API paths, the security headers, and a clear page when the build is missing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/app-context.ts';
import { installErrorHandler } from '../../src/http/error-handler.ts';
import { webRoutes } from '../../src/http/web.routes.ts';

async function serve(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandler(app);
  app.get('/api/health', async () => ({ status: 'ok' }));
  await app.register(webRoutes({} as AppContext, distDir));
  return app;
}

describe('dashboard routes', () => {
  let dist: string;
  let built: FastifyInstance;
  let missing: FastifyInstance;

  before(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    built = await serve(dist);
    missing = await serve(path.join(dist, 'nothing-here'));
  });
  after(async () => {
    await built.close();
    await missing.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('serves the app shell for / and for client-side routes, with a strict CSP', async () => {
    for (const url of ['/', '/w/1/mentions?brand=2&open=5', '/w/3/sources']) {
      const res = await built.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<div id="root">/);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self'.*img-src 'self' data:/);
      assert.equal(res.headers['cache-control'], 'no-cache');
    }
  });

  it('serves hashed assets with a long cache lifetime', async () => {
    const res = await built.inject({ url: '/assets/index-abc123.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /max-age=31536000.*immutable|immutable.*max-age=31536000/);
  });

  it('keeps real 404s for unknown API paths and missing files', async () => {
    const api = await built.inject({ url: '/api/nope' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'not_found');
    assert.equal((await built.inject({ url: '/assets/missing.js' })).statusCode, 404);
    assert.equal((await built.inject({ url: '/favicon.ico' })).statusCode, 404);
    assert.equal((await built.inject({ url: '/api/health' })).statusCode, 200);
  });

  it('says how to build the dashboard when it is missing', async () => {
    const res = await missing.inject({ url: '/w/1/overview' });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build:web/);
    assert.match(res.body, /\/api\/docs/);
  });
});
