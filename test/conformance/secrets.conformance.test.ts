/**
 * Credentials at rest: for every connector kind with secret settings, the stored row holds only sealed
 * values, the API view masks them, and the repository hands the plain values to the scheduler (the
 * connector cases prove the runs work with them).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { getSourceById } from '../../src/sources/source.repository.ts';
import { toSourceView, updateSource } from '../../src/sources/source.service.ts';
import { DIALECTS } from '../support/test-db.ts';
import { openHarness, type Harness } from './harness.ts';

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 512 });
const SERVICE_ACCOUNT = JSON.stringify({ client_email: 'earshot@acme.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) });

const KINDS: { kind: string; settings: Record<string, unknown>; secret: string }[] = [
  { kind: 'mastodon', settings: { instance: 'https://mastodon.example', hashtags: ['acme'], accessToken: 'mastodon-token-123456' }, secret: 'accessToken' },
  { kind: 'mastodon-stream', settings: { instance: 'https://mastodon.example', hashtags: ['acme'], accessToken: 'stream-token-123456' }, secret: 'accessToken' },
  { kind: 'bluesky-search', settings: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop', query: 'acme' }, secret: 'appPassword' },
  { kind: 'reddit', settings: { clientId: 'cid', clientSecret: 'reddit-secret-123456', userAgent: 'web:earshot-test:0.1 (by /u/acme)', query: 'acme' }, secret: 'clientSecret' },
  { kind: 'googleplay', settings: { packageName: 'com.acme.app', serviceAccountJson: SERVICE_ACCOUNT }, secret: 'serviceAccountJson' },
];

for (const dialect of DIALECTS) {
  describe(`conformance: credentials at rest [${dialect}]`, () => {
    let h: Harness;
    before(async () => {
      h = await openHarness(dialect, Date.now());
    });
    after(() => h.close());

    for (const k of KINDS) {
      it(`${k.kind}: ${k.secret} is sealed in the database, masked in the API, plain for the connector`, async () => {
        const id = await h.addSource(k.kind, k.settings);
        const row = await h.ctx.db.kysely.selectFrom('sources').select('config').where('id', '=', id).executeTakeFirstOrThrow();
        const plain = String(k.settings[k.secret]);
        assert.ok(!row.config.includes(plain.slice(0, 12)), 'no plaintext secret in the row');
        assert.match(JSON.parse(row.config)[k.secret], /^enc:v1:/);
        const record = await getSourceById(h.ctx.db.kysely, h.workspaceId, id);
        assert.equal(record.settings[k.secret], plain);
        assert.doesNotMatch(JSON.stringify(toSourceView(record)), new RegExp(plain.slice(8, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        // A form that sends the masked value back keeps the stored secret (and it stays sealed).
        await updateSource(h.ctx, h.workspaceId, id, { settings: { ...toSourceView(record).settings } });
        const again = await h.ctx.db.kysely.selectFrom('sources').select('config').where('id', '=', id).executeTakeFirstOrThrow();
        assert.match(JSON.parse(again.config)[k.secret], /^enc:v1:/);
        assert.equal((await getSourceById(h.ctx.db.kysely, h.workspaceId, id)).settings[k.secret], plain);
      });
    }
  });
}
