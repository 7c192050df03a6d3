import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/test-db.ts';
import { startInbox, type CaseBody, type InboxFixture } from './inbox-fixture.ts';

type Identity = { authorId: number; channel: string; handle: string; link: string; linkDetail: Record<string, unknown> | null };
type Profile = { id: number; identities: Identity[]; handles: { id: number; channel: string; handle: string; verifiedBy: { name: string } | null; evidence: string | null }[]; cases: { id: number }[] };

for (const dialect of DIALECTS) {
  describe(`People linked by verified handle and Bluesky DID (${dialect})`, () => {
    let f: InboxFixture;
    let form: number;
    let masto: number;
    let reddit: number;
    let bsky: number;
    const person = async (id: number) => (await f.team.bo.api<Profile>('GET', `/api/workspaces/${f.ws}/people/${id}`)).body;
    const caseWith = async (externalId: string) => {
      const items = (await f.team.bo.api<{ items: CaseBody[] }>('GET', `/api/workspaces/${f.ws}/cases?status=open,pending_customer,resolved,closed`)).body.items;
      for (const c of items) {
        const v = (await f.team.bo.api<CaseBody>('GET', `/api/workspaces/${f.ws}/cases/${c.id}`)).body;
        if (v.mentions.some((m) => m.externalId === externalId)) return v;
      }
      throw new Error(`no case holds ${externalId}`);
    };

    before(async () => {
      f = await startInbox(dialect);
      form = await f.source('webhook', 'Contact form', {});
      masto = await f.source('mastodon', 'Mastodon', { instance: 'https://social.example', hashtags: ['acme'] });
      reddit = await f.source('reddit', 'Reddit', { clientId: 'cid', clientSecret: 'cs', userAgent: 'test:earshot-people:0.1 (by /u/acme)', query: 'acme' });
      bsky = await f.source('bluesky-search', 'Bluesky', { service: 'https://bsky.example', identifier: 'acme.example', appPassword: 'app-pass', query: 'acme' });
    });
    after(() => f.close());

    it('joins a new mention from a handle an agent verified to the person, and says why', async () => {
      await f.ingest(form, 'webhook', [{ externalId: 'mail-1', text: 'My Acme blender is broken. Jon — Mastodon: @JonS@social.example', author: { handle: 'jon@customer.test', name: 'Jon Snow' } }]);
      const jonCase = await caseWith('mail-1');
      const verified = await f.team.bo.api<Profile>('POST', `/api/workspaces/${f.ws}/people/${jonCase.personId}/handles`, { channel: 'Mastodon', handle: '@JonS@Social.example', evidence: 'in the signature of his e-mail' });
      assert.equal(verified.status, 201, JSON.stringify(verified.body));
      assert.deepEqual(verified.body.handles.map((h) => [h.channel, h.handle, h.verifiedBy?.name, h.evidence]), [['mastodon', 'jons@social.example', 'Bo Agent', 'in the signature of his e-mail']]);

      await f.ingest(masto, 'mastodon', [{ externalId: 'toot-1', text: 'Still no answer from Acme about my broken blender?', author: { handle: 'JonS@social.example' }, channel: 'mastodon' }]);
      const joined = await caseWith('toot-1');
      assert.equal(joined.id, jonCase.id, 'the Mastodon follow-up joins the open case of the same person');
      const jon = await person(jonCase.personId);
      const toot = jon.identities.find((i) => i.channel === 'mastodon')!;
      assert.equal(toot.link, 'auto-handle');
      assert.deepEqual({ ...toot.linkDetail, verifiedAt: 0 }, { rule: 'verified-handle', channel: 'mastodon', handle: 'jons@social.example', verifiedBy: 'Bo Agent', evidence: 'in the signature of his e-mail', verifiedAt: 0 });
    });

    it('moves an identity seen before to the person when its handle is verified, and refuses duplicates and viewers', async () => {
      await f.ingest(reddit, 'reddit', [{ externalId: 't3_zz1', text: 'Acme refund never arrived, terrible', author: { handle: 'Grumpy_Cook' }, channel: 'reddit' }]);
      const redditCase = await caseWith('t3_zz1');
      const jonId = (await caseWith('mail-1')).personId;
      assert.notEqual(redditCase.personId, jonId);
      const viewer = await f.team.vi.api('POST', `/api/workspaces/${f.ws}/people/${jonId}/handles`, { channel: 'reddit', handle: 'u/grumpy_cook' });
      assert.equal(viewer.status, 403);
      const r = await f.team.bo.api<Profile>('POST', `/api/workspaces/${f.ws}/people/${jonId}/handles`, { channel: 'reddit', handle: 'u/grumpy_cook', evidence: 'confirmed by phone' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.ok(r.body.identities.some((i) => i.handle === 'Grumpy_Cook' && i.link === 'auto-handle'));
      assert.ok(r.body.cases.some((c) => c.id === redditCase.id), 'the case of the identity comes along');
      assert.equal((await f.team.bo.api('GET', `/api/workspaces/${f.ws}/people/${redditCase.personId}`)).status, 404, 'the emptied person is merged away');
      const again = await f.team.bo.api<{ error: { code: string } }>('POST', `/api/workspaces/${f.ws}/people/${jonId}/handles`, { channel: 'reddit', handle: 'grumpy_cook' });
      assert.deepEqual([again.status, again.body.error.code], [409, 'conflict']);
      // Forgetting the handle keeps the link made, but new authors are no longer linked by it.
      const h = r.body.handles.find((x) => x.channel === 'reddit')!;
      const forgot = await f.team.bo.api<Profile>('DELETE', `/api/workspaces/${f.ws}/people/${jonId}/handles/${h.id}`);
      assert.deepEqual([forgot.status, forgot.body.handles.map((x) => x.channel)], [200, ['mastodon']]);
    });

    it('links the posts of one Bluesky account (same DID) whether the handle was verified or not', async () => {
      await f.ingest(bsky, 'bluesky', [{ externalId: 'at://did:plc:kim/app.bsky.feed.post/1', text: 'Acme lost my parcel, terrible', author: { handle: 'kim.bsky.social' }, channel: 'bluesky', extra: { cid: 'c1', did: 'did:plc:kim' } }]);
      await f.ingest(bsky, 'bluesky', [{ externalId: 'at://did:plc:kim/app.bsky.feed.post/2', text: 'Acme still has not found my parcel, refund?', author: { handle: 'did:plc:kim' }, channel: 'bluesky', extra: { cid: 'c2', did: 'did:plc:kim' } }]);
      const first = await caseWith('at://did:plc:kim/app.bsky.feed.post/1');
      const kim = await person(first.personId);
      assert.deepEqual(kim.identities.map((i) => [i.handle, i.link, i.linkDetail]), [['kim.bsky.social', 'auto-new', null], ['did:plc:kim', 'auto-handle', { rule: 'atproto-did', did: 'did:plc:kim' }]]);
      assert.equal((await caseWith('at://did:plc:kim/app.bsky.feed.post/2')).id, first.id);
    });

    it('keeps verified handles when their person is merged into another', async () => {
      const jonId = (await caseWith('mail-1')).personId;
      const kimId = (await caseWith('at://did:plc:kim/app.bsky.feed.post/1')).personId;
      const merged = await f.team.bo.api('POST', `/api/workspaces/${f.ws}/people/${kimId}/merge`, { fromId: jonId });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.deepEqual((await person(kimId)).handles.map((h) => h.handle), ['jons@social.example']);
      // Authors are case-sensitive: this is a new author, linked to the merged person by the handle it inherited.
      await f.ingest(masto, 'mastodon', [{ externalId: 'toot-2', text: 'Acme, hello again', author: { handle: 'jons@social.example' }, channel: 'mastodon' }]);
      const linked = (await person(kimId)).identities.find((i) => i.handle === 'jons@social.example');
      assert.equal(linked?.link, 'auto-handle');
    });
  });
}
