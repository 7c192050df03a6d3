import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { AppError } from '../lib/errors.ts';
import { createSafeFetch } from '../lib/safe-fetch.ts';
import { SourceRetryError } from '../pipeline/source.ts';
import { openGuardedWebSocket, policyAllows, socketBatches } from './guarded-websocket.ts';
import { checkRateLimit } from './mastodon/mastodon.source.ts';

const strict = createSafeFetch({ allowPrivate: [], timeoutMs: 2000, maxBytes: 1 << 20 });
const loopback = createSafeFetch({ allowPrivate: ['loopback'], timeoutMs: 2000, maxBytes: 1 << 20 });
const refused = (e: unknown) => e instanceof AppError && e.code === 'fetch_refused';

describe('guarded WebSocket', () => {
  let server: http.Server;
  let port = 0;
  before(async () => {
    server = http.createServer((_req, res) => res.writeHead(429, { 'retry-after': '7' }).end());
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (req.url === '/busy') return void socket.end('HTTP/1.1 429 Too Many\r\nretry-after: 7\r\ncontent-length: 0\r\n\r\n');
      wss.handleUpgrade(req, socket, head, (ws) => {
        // Sent right after the upgrade: must not be lost before the reader listens.
        ws.send('one');
        ws.send('two');
        ws.close(1000);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('asks the fetch policy about private addresses without connecting', async () => {
    assert.equal(await policyAllows(strict, '8.8.8.8'), true);
    assert.equal(await policyAllows(strict, '127.0.0.1'), false);
    assert.equal(await policyAllows(loopback, '127.0.0.1'), true);
    assert.equal(await policyAllows(loopback, '169.254.169.254'), false);
    assert.equal(await policyAllows(loopback, '0.0.0.0'), false);
  });

  it('refuses loopback literals, names that resolve to loopback, and non-ws schemes', async () => {
    await assert.rejects(openGuardedWebSocket(strict, `ws://127.0.0.1:${port}/`), refused);
    await assert.rejects(openGuardedWebSocket(strict, `ws://localhost:${port}/`), refused);
    await assert.rejects(openGuardedWebSocket(loopback, `file:///etc/passwd`), refused);
  });

  it('keeps frames sent right after the upgrade and ends on a normal close', async () => {
    const socket = await openGuardedWebSocket(loopback, `ws://localhost:${port}/`);
    const seen: string[] = [];
    for await (const b of socketBatches(socket, (m) => ({ cursor: m }), new AbortController().signal, { flushMs: 1000, maxItems: 100 })) seen.push(String(b.cursor));
    assert.deepEqual(seen, ['two']);
  });

  it('turns a 429 on upgrade into SourceRetryError with Retry-After', async () => {
    await assert.rejects(openGuardedWebSocket(loopback, `ws://127.0.0.1:${port}/busy`), (e) => e instanceof SourceRetryError && e.retryAfterMs === 7000);
  });

  it('waits for the Mastodon rate-limit reset when the budget is spent', () => {
    const now = Date.parse('2026-08-01T14:00:00Z');
    checkRateLimit(new Headers({ 'x-ratelimit-remaining': '299' }), now);
    assert.throws(
      () => checkRateLimit(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-08-01T14:05:00.000Z' }), now),
      (e) => e instanceof SourceRetryError && e.retryAfterMs === 300_000,
    );
  });
});
