/**
 * Serves the web dashboard (built by Vite into web/dist by `npm install` and `npm start`) from the API
 * process: hashed assets under /assets/ with long caching, and index.html for every other non-/api GET path
 * so that client-side routes (/w/1/mentions, …) survive a reload. Unknown /api paths keep the JSON 404.
 * When the build is missing the dashboard paths answer with a page saying how to build it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppContext } from '../app-context.ts';

/** Where `npm run build:web` writes the dashboard. */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * Defence in depth for mention text (which the UI renders only as text): no inline script, no remote images,
 * scripts, frames or connections. uPlot positions its elements with style attributes, hence 'unsafe-inline'
 * for styles only.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Earshot</title>
<body style="font:16px/1.5 system-ui;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>The dashboard is not built yet</h1>
<p>Run <code>npm run build:web</code> (or <code>npm install</code>, which builds it) and reload this page.
<code>npm start</code> builds it automatically when it is missing or out of date.</p>
<p>The API is running: <a href="/api/docs">API documentation</a>.</p></body></html>`;

function dashboardHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache');
}

/** Registers the dashboard routes; `distDir` is overridable for tests. */
export function webRoutes(_ctx: AppContext, distDir = WEB_DIST): FastifyPluginAsync {
  return async (app) => {
    const assets = path.join(distDir, 'assets');
    if (fs.existsSync(assets)) {
      await app.register(fastifyStatic, {
        root: assets,
        prefix: '/assets/',
        index: false,
        immutable: true,
        maxAge: '365d',
        schemaHide: true,
        setHeaders: (res) => res.header('x-content-type-options', 'nosniff'),
      });
    }
    let indexHtml: string | null = null;
    const readIndex = (): string | null => {
      if (indexHtml === null) {
        try {
          indexHtml = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
        } catch {
          return null;
        }
      }
      return indexHtml;
    };
    const serveApp = async (_req: unknown, reply: FastifyReply) => {
      const html = readIndex();
      return dashboardHeaders(reply).status(html ? 200 : 503).type('text/html; charset=utf-8').send(html ?? NOT_BUILT);
    };
    app.get('/', { schema: { hide: true } }, serveApp);
    app.get('/*', { schema: { hide: true } }, async (req, reply) => {
      const p = req.url.split('?')[0] ?? '';
      // API paths and missing files (a dot in the last segment) keep a real 404 instead of the app shell.
      if (p === '/api' || p.startsWith('/api/') || p.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(p)) return reply.callNotFound();
      return serveApp(req, reply);
    });
  };
}
