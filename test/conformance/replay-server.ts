/**
 * A loopback server that replays channel fixtures: each channel case gives a route function that answers
 * from its fixture data; the server records every request and can inject faults (429 with Retry-After,
 * 5xx, a hang that never answers, a malformed body) into the next matching requests. WebSocket upgrades are
 * handed to the case's `onSocket`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Route = (req: Recorded, base: string) => Reply | null;
export type Fault = { kind: 'status'; status: number; retryAfter?: string } | { kind: 'hang' } | { kind: 'malformed' };

export class ReplayServer {
  readonly requests: Recorded[] = [];
  readonly sockets: { path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders }[] = [];
  base = '';
  private faults: { fault: Fault; match: RegExp; times: number }[] = [];
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly open = new Set<import('node:net').Socket>();

  constructor(
    private readonly route: Route,
    private readonly onSocket?: (ws: WebSocket, req: Recorded) => void,
  ) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    // Upgraded and hung sockets are not tracked by closeAllConnections(); track every socket ourselves.
    this.server.on('connection', (socket) => {
      this.open.add(socket);
      socket.on('close', () => this.open.delete(socket));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  get wsBase(): string {
    return this.base.replace(/^http/, 'ws');
  }

  /** The next `times` requests whose path matches `match` get `fault` instead of their answer. */
  inject(fault: Fault, match: RegExp = /./, times = 1): void {
    this.faults.push({ fault, match, times });
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.server.closeAllConnections();
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rec = await record(req);
    this.requests.push(rec);
    const fault = this.takeFault(rec.path);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') return void res.writeHead(fault.status, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}).end('{"error":"injected"}');
    if (fault?.kind === 'malformed') return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>502 Bad Gateway</html');
    const reply = this.route(rec, this.base) ?? { status: 404, body: { error: 'not found' } };
    const body = typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body ?? null);
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers }).end(body);
  }

  private upgrade(req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const rec: Recorded = { method: 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: '' };
    this.sockets.push({ path: rec.path, query: rec.query, headers: req.headers });
    const fault = this.takeFault(rec.path);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') {
      const retry = fault.retryAfter ? `retry-after: ${fault.retryAfter}\r\n` : '';
      return void socket.end(`HTTP/1.1 ${fault.status} Injected\r\nconnection: close\r\n${retry}content-length: 0\r\n\r\n`);
    }
    if (!this.onSocket) return void socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket!(ws, rec));
  }

  private takeFault(path: string): Fault | null {
    const f = this.faults.find((x) => x.times > 0 && x.match.test(path));
    if (!f) return null;
    f.times--;
    return f.fault;
  }
}

async function record(req: http.IncomingMessage): Promise<Recorded> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  const url = new URL(req.url ?? '/', 'http://x');
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
}
