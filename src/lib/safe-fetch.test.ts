import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { AppError } from './errors.ts';
import { classifyAddress, createSafeFetch, USER_AGENT } from './safe-fetch.ts';
import type { SafeFetchPolicy } from './safe-fetch.ts';

const policy = (over: Partial<SafeFetchPolicy> = {}): SafeFetchPolicy => ({ allowPrivate: [], timeoutMs: 2000, maxBytes: 64 * 1024, ...over });
const loopbackOk = createSafeFetch(policy({ allowPrivate: ['loopback'] }));

/** Rejects with an AppError of `code`; returns the error for more checks. */
async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<AppError> {
  const err = await p.then(
    () => assert.fail('expected the fetch to fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return err;
}

describe('safeFetch', () => {
  let server: http.Server;
  let base: string;
  let port: number;
  const seen: http.IncomingHttpHeaders[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers);
      route(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('refuses loopback by default, by IP and by name, before connecting', async () => {
    const fetch = createSafeFetch(policy());
    const before = seen.length;
    const e1 = await rejectsWith(fetch(`${base}/hello`), 'fetch_refused', /127\.0\.0\.1.*loopback/);
    assert.match(e1.message, /FETCH_ALLOW_PRIVATE=loopback/);
    await rejectsWith(fetch(`http://localhost:${port}/hello`), 'fetch_refused', /localhost \((127\.0\.0\.1|::1)\)/);
    await rejectsWith(fetch(`http://[::ffff:127.0.0.1]:${port}/hello`), 'fetch_refused', /loopback/);
    await rejectsWith(fetch(`http://[::1]:${port}/hello`), 'fetch_refused', /loopback/);
    assert.equal(seen.length, before, 'no request reached the server');
  });

  it('fetches loopback when the policy allows it, with our User-Agent and lower-case header lookup', async () => {
    const res = await loopbackOk(`http://localhost:${port}/hello`, { headers: { 'X-Test': 'yes' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'hello');
    assert.equal(res.headers.get('X-Custom'), 'custom');
    assert.equal(res.headers.get('x-custom'), 'custom');
    const last = seen.at(-1)!;
    assert.equal(last['user-agent'], USER_AGENT);
    assert.equal(last['x-test'], 'yes');
    assert.match(String(last.host), new RegExp(`^localhost:${port}$`));
  });

  it('follows redirects between allowed hosts and reports the final URL', async () => {
    const res = await loopbackOk(`${base}/redirect?to=/hello`);
    assert.equal(res.status, 200);
    assert.equal(res.url, `${base}/hello`);
  });

  it('refuses a redirect from an allowed host to a refused one', async () => {
    await rejectsWith(loopbackOk(`${base}/redirect?to=http://169.254.169.254/latest/meta-data/`), 'fetch_refused', /169\.254\.169\.254.*link-local/);
    await rejectsWith(loopbackOk(`${base}/redirect?to=http://10.0.0.7/`), 'fetch_refused', /FETCH_ALLOW_PRIVATE=private/);
    await rejectsWith(loopbackOk(`${base}/redirect?to=file:///etc/passwd`), 'fetch_refused', /file:/);
  });

  it('gives up after 5 redirects', async () => {
    await rejectsWith(loopbackOk(`${base}/loop`), 'fetch_failed', /more than 5 times/);
  });

  it('refuses the cloud metadata address, other schemes and credentials in the URL', async () => {
    const fetch = createSafeFetch(policy({ allowPrivate: ['loopback', 'private'] }));
    await rejectsWith(fetch('http://169.254.169.254/latest/meta-data/'), 'fetch_refused', /FETCH_ALLOW_PRIVATE=linklocal/);
    await rejectsWith(fetch('file:///etc/passwd'), 'fetch_refused', /only http and https/);
    await rejectsWith(fetch('ftp://example.com/feed.xml'), 'fetch_refused', /only http and https/);
    await rejectsWith(fetch(`http://user:secret@127.0.0.1:${port}/`), 'fetch_refused', /credentials/);
    await rejectsWith(fetch('http://0.0.0.0/'), 'fetch_refused', /never fetches/);
  });

  it('times out on a server that never finishes the body', async () => {
    const fetch = createSafeFetch(policy({ allowPrivate: ['loopback'], timeoutMs: 300 }));
    const started = Date.now();
    await rejectsWith(fetch(`${base}/slow`), 'fetch_failed', /did not answer within 300 ms/);
    assert.ok(Date.now() - started < 2000);
  });

  it('fails past maxBytes, declared or streamed, and after decompression', async () => {
    const fetch = createSafeFetch(policy({ allowPrivate: ['loopback'], maxBytes: 4096 }));
    await rejectsWith(fetch(`${base}/big?declared=1`), 'fetch_failed', /more than 4096 bytes/);
    await rejectsWith(fetch(`${base}/big`), 'fetch_failed', /more than 4096 bytes/);
    await rejectsWith(fetch(`${base}/bomb`), 'fetch_failed', /more than 4096 bytes/);
  });

  it('decodes gzip, deflate and brotli bodies', async () => {
    for (const enc of ['gzip', 'deflate', 'br']) {
      const res = await loopbackOk(`${base}/compressed?enc=${enc}`);
      assert.equal(res.body.toString(), 'compressed ✓ body', enc);
    }
    assert.equal(seen.at(-1)!['accept-encoding'], 'gzip, deflate, br');
  });

  it('reports an unreachable port as fetch_failed without leaking request headers', async () => {
    const free = await freePort();
    const err = await rejectsWith(
      loopbackOk(`http://127.0.0.1:${free}/feed?token=abc`, { headers: { Authorization: 'Bearer s3cr3t' } }),
      'fetch_failed',
      /refused the connection/,
    );
    assert.doesNotMatch(err.message, /s3cr3t|token=abc/);
  });

  it('passes the caller abort through as the abort reason', async () => {
    const ac = new AbortController();
    const p = loopbackOk(`${base}/slow`, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stopped by caller')), 50);
    await assert.rejects(p, /stopped by caller/);
  });
});

describe('classifyAddress', () => {
  const cases: [string, string][] = [
    ['93.184.216.34', 'public'],
    ['2606:2800:220:1:248:1893:25c8:1946', 'public'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['169.254.169.254', 'linklocal'],
    ['fe80::1', 'linklocal'],
    ['0.0.0.0', 'never'],
    ['::', 'never'],
    ['224.0.0.1', 'never'],
    ['ff02::1', 'never'],
    ['255.255.255.255', 'never'],
    ['240.0.0.1', 'never'],
    ['64:ff9b::7f00:1', 'never'],
    ['::7f00:1', 'never'],
  ];
  for (const [address, kind] of cases) {
    it(`${address} is ${kind}`, () => assert.equal(classifyAddress(address).kind, kind));
  }
});

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/hello':
      return void res.writeHead(200, { 'X-Custom': 'custom', 'Content-Type': 'text/plain' }).end('hello');
    case '/redirect':
      return void res.writeHead(302, { Location: url.searchParams.get('to') ?? '/' }).end();
    case '/loop':
      return void res.writeHead(301, { Location: '/loop' }).end();
    case '/slow':
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.write('partial');
    case '/big': {
      const body = Buffer.alloc(10_000, 'a');
      const headers = url.searchParams.has('declared') ? { 'Content-Length': String(body.length) } : {};
      return void res.writeHead(200, headers).end(body);
    }
    case '/bomb':
      return void res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(zlib.gzipSync(Buffer.alloc(1_000_000)));
    case '/compressed':
      return void sendCompressed(res, url.searchParams.get('enc') ?? 'gzip');
    default:
      return void res.writeHead(404).end();
  }
}

function sendCompressed(res: http.ServerResponse, enc: string): void {
  const text = Buffer.from('compressed ✓ body');
  const body = enc === 'gzip' ? zlib.gzipSync(text) : enc === 'br' ? zlib.brotliCompressSync(text) : zlib.deflateSync(text);
  res.writeHead(200, { 'Content-Encoding': enc }).end(body);
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}
