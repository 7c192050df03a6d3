import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { DIALECTS } from './support/test-db.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const vector = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, 'fixtures/webhooks/standard_webhooks_signature_test_vector.json'), 'utf8')) as {
  secret: string; headers: Record<string, string>; rawBody: string;
};
const trustpilot = fs.readFileSync(path.resolve(import.meta.dirname, 'fixtures/webhooks/trustpilot_service-review-created.json'), 'utf8');

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string>; position?: number } };

function signed(secret: string, body: string | Buffer, id = `msg_${Math.random().toString(36).slice(2)}`, at = new Date()) {
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body), 'content-type': 'application/json' };
}

for (const dialect of DIALECTS) {
  describe(`HTTP API (${dialect})`, () => {
    let t: TestApp;
    let ws: number;
    let hook: { id: number; settings: { secret: string } };

    before(async () => {
      t = await startTestApp(dialect, { MAX_BODY_BYTES: '65536' });
      ws = (await t.api<{ id: number }>('POST', '/api/workspaces', { name: 'Acme care' })).body.id;
      await t.api('POST', `/api/workspaces/${ws}/brands`, { name: 'Acme', query: 'acme OR @acmehelp OR "acme corp"' });
      hook = (await t.api<typeof hook>('POST', `/api/workspaces/${ws}/sources`, { kind: 'webhook', name: 'Reviews hook', settings: {} })).body;
    });
    after(() => t.close());

    it('serves health and the OpenAPI document', async () => {
      const health = await t.api<{ status: string; dialect: string }>('GET', '/api/health');
      assert.deepEqual([health.status, health.body.status, health.body.dialect], [200, 'ok', dialect]);
      const doc = await t.api<{ openapi: string; paths: Record<string, unknown> }>('GET', '/api/openapi.json');
      assert.match(doc.body.openapi, /^3\./);
      assert.ok(doc.body.paths['/api/workspaces/{workspaceId}/mentions']);
      assert.ok(doc.body.paths['/api/ingest/webhook/{sourceId}']);
      assert.equal((await fetch(`${t.url}/api/docs/`)).status, 200);
    });

    it('rejects a brand query with a syntax error and says where', async () => {
      const r = await t.api<ErrorBody>('POST', `/api/workspaces/${ws}/brands`, { name: 'Broken', query: '(acme OR' });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'validation');
      assert.ok(r.body.error.fields?.query);
      assert.equal(typeof r.body.error.position, 'number');
      const v = await t.api<{ ok: boolean; position: number }>('POST', '/api/brand-queries/validate', { query: 'acme AND' });
      assert.deepEqual([v.body.ok, v.body.position], [false, 5]);
      const dup = await t.api<ErrorBody>('POST', `/api/workspaces/${ws}/brands`, { name: 'Acme', query: 'acme' });
      assert.deepEqual([dup.status, dup.body.error.code], [409, 'conflict']);
    });

    it('accepts a correctly signed webhook (the Standard Webhooks vector signs the same way) and stores its mentions', async () => {
      const vectorHook = new Webhook(vector.secret).sign(vector.headers['webhook-id']!, new Date(Number(vector.headers['webhook-timestamp']) * 1000), vector.rawBody);
      assert.equal(vectorHook, vector.headers['webhook-signature']);
      const body = JSON.stringify({ mentions: [{ id: 'r1', text: 'Acme support never called back <script>alert(1)</script>', author: { handle: 'jon', followers: 5 }, publishedAt: '2026-11-01T10:00:00Z' }] });
      const headers = signed(hook.settings.secret, body);
      const r = await t.api<{ stored: number; duplicate: boolean }>('POST', `/api/ingest/webhook/${hook.id}`, body, headers);
      assert.deepEqual([r.status, r.body.stored], [202, 1]);
      const again = await t.api<{ duplicate: boolean; stored: number }>('POST', `/api/ingest/webhook/${hook.id}`, body, headers);
      assert.deepEqual([again.status, again.body.duplicate, again.body.stored], [200, true, 0]);
      const list = await t.api<{ items: { text: string }[] }>('GET', `/api/workspaces/${ws}/mentions?q=called`);
      assert.equal(list.body.items[0]?.text, 'Acme support never called back <script>alert(1)</script>');
    });

    it('answers 401 to a wrong signature, a tampered body, a stale timestamp or missing headers', async () => {
      const body = JSON.stringify({ id: 'x', text: 'acme' });
      const good = signed(hook.settings.secret, body);
      const cases = [
        { ...good, 'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
        signed('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', body),
        signed(hook.settings.secret, body, 'msg_old', new Date(Date.now() - 60 * 60 * 1000)),
        { 'content-type': 'application/json' },
      ];
      for (const headers of cases) {
        const r = await t.api<ErrorBody>('POST', `/api/ingest/webhook/${hook.id}`, body, headers);
        assert.deepEqual([r.status, r.body.error.code], [401, 'unauthorized']);
      }
      const tampered = await t.api<ErrorBody>('POST', `/api/ingest/webhook/${hook.id}`, body.replace('acme', 'acme!'), good);
      assert.equal(tampered.status, 401);
      const unknown = await t.api<ErrorBody>('POST', `/api/ingest/webhook/999999`, body, good);
      assert.equal(unknown.status, 404);
    });

    it('maps a provider payload (Trustpilot review webhook) with itemsPath and a field map', async () => {
      const tp = (await t.api<{ id: number; settings: { secret: string } }>('POST', `/api/workspaces/${ws}/sources`, {
        kind: 'webhook', name: 'Trustpilot',
        settings: { itemsPath: 'events', map: { externalId: 'eventData.id', text: 'eventData.text', title: 'eventData.title', time: 'eventData.createdAt', author: 'eventData.consumer.name', lang: 'eventData.language', url: 'eventData.link' } },
        brandId: null,
      })).body;
      const body = trustpilot.replace('Nothing other than excellent customer service.', 'Nothing other than excellent Acme customer service.');
      const r = await t.api<{ stored: number }>('POST', `/api/ingest/webhook/${tp.id}`, body, signed(tp.settings.secret, body));
      assert.equal(r.body.stored, 1);
      const list = await t.api<{ items: { title: string; author: { handle: string }; publishedAt: number; lang: string }[] }>('GET', `/api/workspaces/${ws}/mentions?source=${tp.id}`);
      assert.deepEqual([list.body.items[0]?.title, list.body.items[0]?.author.handle, list.body.items[0]?.lang], ['Great service', 'Customer', 'en']);
      assert.equal(list.body.items[0]?.publishedAt, Date.parse('2017-05-20T09:34:44.000Z'));
    });

    it('refuses oversized bodies, broken UTF-8 and invalid JSON with clear errors', async () => {
      const big = await t.api<ErrorBody>('POST', `/api/workspaces/${ws}/brands`, JSON.stringify({ name: 'x'.repeat(70_000), query: 'x' }));
      assert.deepEqual([big.status, big.body.error.code], [413, 'payload_too_large']);
      const broken = Buffer.concat([Buffer.from('{"name":"Acm'), Buffer.from([0xc3, 0x28]), Buffer.from('","query":"acme"}')]);
      const bad = await t.api<ErrorBody>('POST', `/api/workspaces/${ws}/brands`, broken);
      assert.deepEqual([bad.status, bad.body.error.message], [400, 'The body is not valid UTF-8']);
      const notJson = await t.api<ErrorBody>('POST', `/api/workspaces/${ws}/brands`, '{"name": ');
      assert.deepEqual([notJson.status, notJson.body.error.code], [400, 'bad_request']);
      const hookBroken = Buffer.concat([Buffer.from('{"text":"acme '), Buffer.from([0xff]), Buffer.from('"}')]);
      const h = await t.api<ErrorBody>('POST', `/api/ingest/webhook/${hook.id}`, hookBroken, signed(hook.settings.secret, hookBroken));
      assert.deepEqual([h.status, h.body.error.message], [400, 'the body is not valid UTF-8']);
      const missing = await t.api<ErrorBody>('GET', `/api/workspaces/${ws}/mentions/999999`);
      assert.deepEqual([missing.status, missing.body.error.code], [404, 'not_found']);
      const badQuery = await t.api<ErrorBody>('GET', `/api/workspaces/${ws}/mentions?limit=100000`);
      assert.deepEqual([badQuery.status, badQuery.body.error.code], [400, 'validation']);
    });
  });
}
