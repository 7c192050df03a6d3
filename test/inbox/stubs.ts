/**
 * Loopback stand-ins for the channels replies go to: an SMTP server that keeps every message (parsed), and
 * one HTTP server that answers as a Mastodon instance, a Bluesky PDS, Reddit (token + comment API), Google
 * (token endpoint + Play reply API) and a reply-webhook receiver.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface SmtpStub {
  port: number;
  messages: ParsedMail[];
  close(): Promise<void>;
}

export async function startSmtp(): Promise<SmtpStub> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then((m) => (messages.push(m), done()), done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface HttpCall {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpStub {
  url: string;
  calls: HttpCall[];
  /** Status the reply webhook answers with (to simulate a failing receiver). */
  webhookStatus: number;
  close(): Promise<void>;
}

function answer(url: string, body: string, stub: HttpStub): [number, unknown] {
  const path = url.split('?')[0]!;
  if (path === '/api/v1/access_token') return [200, { access_token: 'reddit-token', token_type: 'bearer', expires_in: 3600, scope: '*' }];
  if (path === '/api/comment') return [200, { json: { errors: [], data: { things: [{ kind: 't1', data: { name: 't1_reply42', permalink: '/r/acme/comments/abc123/_/reply42/' } }] } } }];
  if (path === '/google/token') return [200, { access_token: 'ya29.stub', expires_in: 3599, token_type: 'Bearer' }];
  if (path.endsWith(':reply')) return [200, { result: { replyText: (JSON.parse(body) as { replyText: string }).replyText, lastEdited: { seconds: '1453978803' } } }];
  if (path === '/api/v1/statuses') return [200, { id: '9001', url: 'https://social.example/@acme/9001' }];
  if (path === '/xrpc/com.atproto.server.createSession') return [200, { accessJwt: 'jwt', refreshJwt: 'r', did: 'did:plc:acme', handle: 'acme.example' }];
  if (url.startsWith('/xrpc/com.atproto.identity.resolveHandle')) return [200, { did: 'did:plc:customer' }];
  if (path === '/xrpc/com.atproto.repo.createRecord') return [200, { uri: 'at://did:plc:acme/app.bsky.feed.post/3kreply', cid: 'bafyreply', body }];
  if (path === '/hook') return [stub.webhookStatus, {}];
  return [404, { error: 'not found' }];
}

export async function startHttpStub(): Promise<HttpStub> {
  const stub: HttpStub = { url: '', calls: [], webhookStatus: 200, close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      stub.calls.push({ path: req.url ?? '', headers: req.headers, body });
      const [status, json] = answer(req.url ?? '', body, stub);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}
