import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { DIALECTS } from '../support/test-db.ts';
import { startInbox, type CaseBody, type InboxFixture } from './inbox-fixture.ts';
import { startHttpStub, startSmtp, type HttpStub, type SmtpStub } from './stubs.ts';

const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

for (const dialect of DIALECTS) {
  describe(`Inbox replies through the channel (${dialect})`, () => {
    let f: InboxFixture;
    let smtp: SmtpStub;
    let stub: HttpStub;
    const emailSettings = (smtpPort: number) => ({
      host: '127.0.0.1', port: 1143, secure: false, starttls: 'off', user: 'support@acme.test', password: 'imap-secret',
      smtpHost: '127.0.0.1', smtpPort, smtpStarttls: 'off', fromAddress: 'support@acme.test', fromName: 'Acme Support',
    });
    const caseOf = async (externalId: string) => {
      const items = (await f.team.bo.api<{ items: CaseBody[] }>('GET', `/api/workspaces/${f.ws}/cases?status=open,pending_customer,resolved`)).body.items;
      for (const c of items) {
        const v = (await f.team.bo.api<CaseBody>('GET', `/api/workspaces/${f.ws}/cases/${c.id}`)).body;
        if (v.mentions.some((m) => m.externalId === externalId)) return v;
      }
      throw new Error(`no case holds ${externalId}`);
    };
    const reply = (caseId: number, body: Record<string, unknown>, who = f.team.bo) => who.api<CaseBody['replies'][number] & { error?: { code: string } }>('POST', `/api/workspaces/${f.ws}/cases/${caseId}/replies`, body);

    before(async () => {
      [f, smtp, stub] = await Promise.all([startInbox(dialect), startSmtp(), startHttpStub()]);
    });
    after(async () => Promise.all([f.close(), smtp.close(), stub.close()]));

    it('answers an e-mail over SMTP threaded under the customer message, and the case counts as answered', async () => {
      const mail = await f.source('email', 'Support mailbox', emailSettings(smtp.port));
      await f.ingest(mail, 'email', [{
        externalId: '<m2@customer.test>', title: 'Re: Acme order 1234', text: 'The Acme blender is still broken, I want a refund.',
        author: { handle: 'jon@customer.test', name: 'Jon Snow' }, channel: 'email', parentExternalId: '<m1@customer.test>', extra: { references: ['<m0@customer.test>', '<m1@customer.test>'] },
      }]);
      const c = await caseOf('<m2@customer.test>');
      const sent = await reply(c.id, { text: 'Sorry Jon, a new blender is on its way.', setStatus: 'pending_customer' });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.equal(sent.body.status, 'sent', sent.body.lastError ?? '');
      const msg = smtp.messages.at(-1)!;
      assert.equal(msg.inReplyTo, '<m2@customer.test>');
      assert.deepEqual(msg.references, ['<m0@customer.test>', '<m1@customer.test>', '<m2@customer.test>']);
      assert.equal(msg.subject, 'Re: Acme order 1234');
      assert.equal(msg.to && !Array.isArray(msg.to) ? msg.to.value[0]!.address : null, 'jon@customer.test');
      assert.equal(msg.messageId, sent.body.externalId);
      const after = await caseOf('<m2@customer.test>');
      assert.equal(after.status, 'pending_customer');
      assert.ok(after.firstResponseAt !== null);
      assert.equal(after.sla.find((s) => s.objective === 'first_response')!.state, 'met');
      // The customer answers our reply: it joins the same case through In-Reply-To (= our Message-ID).
      await f.ingest(mail, 'email', [{ externalId: '<m3@customer.test>', title: 'Re: Acme order 1234', text: 'Thanks, when does it arrive?', author: { handle: 'jon@customer.test' }, channel: 'email', parentExternalId: sent.body.externalId! }]);
      assert.deepEqual((await caseOf('<m3@customer.test>')).id, c.id);
    });

    it('never loses the text of a failed send, retries it, and shows the delivery status on the case', async () => {
      const broken = await f.source('email', 'Broken mailbox', emailSettings(1));
      await f.ingest(broken, 'email', [{ externalId: '<b1@customer.test>', title: 'Acme refund', text: 'Acme charged me twice, refund!', author: { handle: 'mia@customer.test' }, channel: 'email' }]);
      const c = await caseOf('<b1@customer.test>');
      const text = 'Hi Mia, the double charge is refunded.';
      const failed = await reply(c.id, { text });
      assert.equal(failed.status, 201);
      assert.deepEqual([failed.body.status, failed.body.text, failed.body.attempts], ['failed', text, 1]);
      assert.match(failed.body.lastError ?? '', /could not send the reply through SMTP 127\.0\.0\.1:1/);
      const view = await caseOf('<b1@customer.test>');
      assert.equal(view.firstResponseAt, null, 'an undelivered reply is no response');
      assert.ok(view.events.some((e) => e.kind === 'reply_failed'));
      // The admin fixes the SMTP port; the agent retries and the same text goes out.
      assert.equal((await f.team.admin.api('PATCH', `/api/workspaces/${f.ws}/sources/${broken}`, { settings: { smtpPort: smtp.port } })).status, 200);
      const retried = await f.team.bo.api<CaseBody['replies'][number]>('POST', `/api/workspaces/${f.ws}/cases/${c.id}/replies/${failed.body.id}/retry`);
      assert.deepEqual([retried.body.status, retried.body.attempts], ['sent', 2]);
      assert.equal(smtp.messages.at(-1)!.text?.trim(), text);
    });

    it('replies on Mastodon (in_reply_to_id, @mention, idempotency key) and Bluesky (root and parent refs)', async () => {
      const masto = await f.source('mastodon', 'Mastodon', { instance: stub.url, hashtags: ['acme'], accessToken: 'masto-token' });
      await f.ingest(masto, 'mastodon', [{ externalId: '111', text: 'Acme app is broken since the update', author: { handle: 'lena@social.example' }, channel: 'mastodon' }]);
      const m = await reply((await caseOf('111')).id, { text: 'We are on it, Lena.' });
      assert.deepEqual([m.body.status, m.body.externalId], ['sent', '9001']);
      const call = stub.calls.find((x) => x.path === '/api/v1/statuses')!;
      const form = new URLSearchParams(call.body);
      assert.deepEqual([form.get('in_reply_to_id'), form.get('status'), call.headers.authorization], ['111', '@lena@social.example We are on it, Lena.', 'Bearer masto-token']);
      assert.equal(call.headers['idempotency-key'], `earshot-reply-${m.body.id}`);

      const bsky = await f.source('bluesky-search', 'Bluesky', { service: stub.url, identifier: 'acme.example', appPassword: 'app-pass', query: 'acme' });
      const uri = 'at://did:plc:customer/app.bsky.feed.post/3kchild';
      await f.ingest(bsky, 'bluesky', [{ externalId: uri, text: 'Acme lost my parcel, terrible', author: { handle: 'kim.bsky.social' }, channel: 'bluesky', parentExternalId: 'at://did:plc:other/app.bsky.feed.post/3kroot', extra: { cid: 'bafychild', rootUri: 'at://did:plc:other/app.bsky.feed.post/3kroot', rootCid: 'bafyroot' } }]);
      const b = await reply((await caseOf(uri)).id, { text: 'Sorry @kim.bsky.social, we are tracking it.' });
      assert.equal(b.body.status, 'sent', b.body.lastError ?? '');
      const record = JSON.parse(stub.calls.find((x) => x.path === '/xrpc/com.atproto.repo.createRecord')!.body) as { record: { reply: unknown; facets: unknown[] } };
      assert.deepEqual(record.record.reply, { root: { uri: 'at://did:plc:other/app.bsky.feed.post/3kroot', cid: 'bafyroot' }, parent: { uri, cid: 'bafychild' } });
      assert.equal(record.record.facets.length, 1);
    });

    it('replies on Reddit with a comment under the post (as the bot account) and refuses without the bot account', async () => {
      const app = { clientId: 'cid-inbox', clientSecret: 'csecret', userAgent: 'test:earshot-inbox:0.1 (by /u/acme_support)', query: 'acme', authUrl: stub.url, apiUrl: stub.url };
      const reddit = await f.source('reddit', 'Reddit', { ...app, username: 'acme_support', password: 'bot-pass' });
      await f.ingest(reddit, 'reddit', [{ externalId: 't3_abc123', title: 'Acme mixer broken after a week', text: 'My Acme mixer is broken after a week, anyone else?', author: { handle: 'grumpy_cook' }, channel: 'reddit' }]);
      const sent = await reply((await caseOf('t3_abc123')).id, { text: 'Sorry to hear that! Please DM us your order number.' });
      assert.deepEqual([sent.body.status, sent.body.externalId], ['sent', 't1_reply42'], sent.body.lastError ?? '');
      const token = stub.calls.filter((x) => x.path === '/api/v1/access_token').at(-1)!;
      assert.deepEqual(Object.fromEntries(new URLSearchParams(token.body)), { grant_type: 'password', username: 'acme_support', password: 'bot-pass' });
      const call = stub.calls.filter((x) => x.path.startsWith('/api/comment')).at(-1)!;
      const form = new URLSearchParams(call.body);
      assert.deepEqual([form.get('thing_id'), form.get('text'), form.get('api_type'), call.headers.authorization], ['t3_abc123', 'Sorry to hear that! Please DM us your order number.', 'json', 'bearer reddit-token']);
      // A read-only app (no bot account) cannot reply: a permanent failure, no automatic retry.
      const readOnly = await f.source('reddit', 'Reddit read-only', { ...app, clientId: 'cid-readonly' });
      await f.ingest(readOnly, 'reddit', [{ externalId: 't1_def456', text: 'Acme support never answers, terrible', author: { handle: 'other_cook' }, channel: 'reddit' }]);
      const refused = await reply((await caseOf('t1_def456')).id, { text: 'Hi!' });
      assert.equal(refused.body.status, 'failed');
      assert.match(refused.body.lastError ?? '', /needs the username and password of the script app's bot account/);
      const failedEvent = (await caseOf('t1_def456')).events.find((e) => e.kind === 'reply_failed')!;
      assert.equal(failedEvent.detail?.nextAttemptAt, null);
    });

    it('replies to a Google Play review with the service account, and refuses a reply over 350 characters', async () => {
      const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const serviceAccountJson = JSON.stringify({ type: 'service_account', client_email: 'earshot@acme-play.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), token_uri: `${stub.url}/google/token` });
      const play = await f.source('googleplay', 'Play', { packageName: 'com.acme.app', serviceAccountJson, baseUrl: stub.url });
      await f.ingest(play, 'googleplay', [{ externalId: 'gp-review-1', text: 'Acme app is broken since the update, crashes at start', author: { handle: 'Maria Lopez' }, channel: 'googleplay' }]);
      const c = await caseOf('gp-review-1');
      const long = await reply(c.id, { text: 'x'.repeat(351) });
      assert.equal(long.body.status, 'failed');
      assert.match(long.body.lastError ?? '', /limited to 350 characters; this one has 351/);
      const sent = await reply(c.id, { text: 'Thanks Maria, version 2.1.1 fixes the crash.' });
      assert.deepEqual([sent.body.status, sent.body.externalId], ['sent', 'googleplay-reply:gp-review-1'], sent.body.lastError ?? '');
      const calls = stub.calls.filter((x) => x.path.endsWith(':reply'));
      assert.equal(calls.length, 1, 'the refused reply never reached Google');
      assert.equal(calls[0]!.path, '/androidpublisher/v3/applications/com.acme.app/reviews/gp-review-1:reply');
      assert.deepEqual([JSON.parse(calls[0]!.body), calls[0]!.headers.authorization], [{ replyText: 'Thanks Maria, version 2.1.1 fixes the crash.' }, 'Bearer ya29.stub']);
      assert.ok((await caseOf('gp-review-1')).firstResponseAt !== null);
    });

    it('sends other channels to the signed reply webhook, and refuses replies from viewers', async () => {
      const hook = await f.source('webhook', 'Reviews', {});
      await f.ingest(hook, 'webhook', [{ externalId: 'rev-9', text: 'Acme delivery never arrived', author: { handle: 'otto' } }]);
      const c = await caseOf('rev-9');
      const noHook = await reply(c.id, { text: 'Hello Otto' });
      assert.match(noHook.body.lastError ?? '', /configure the inbox reply webhook/);
      const viewer = await reply(c.id, { text: 'I am only a viewer' }, f.team.vi);
      assert.deepEqual([viewer.status, viewer.body.error?.code], [403, 'forbidden']);
      const put = await f.team.admin.api<{ replyWebhook: { secret: string } }>('PUT', `/api/workspaces/${f.ws}/inbox/settings`, { replyWebhook: { url: `${stub.url}/hook`, secret: WEBHOOK_SECRET } });
      assert.equal(put.body.replyWebhook.secret, '••••••••');
      const retried = await f.team.bo.api<{ status: string }>('POST', `/api/workspaces/${f.ws}/cases/${c.id}/replies/${noHook.body.id}/retry`);
      assert.equal(retried.body.status, 'sent');
      const call = stub.calls.filter((x) => x.path === '/hook').at(-1)!;
      const payload = new Webhook(WEBHOOK_SECRET).verify(call.body, call.headers as Record<string, string>) as { type: string; data: { text: string; inReplyTo: { externalId: string } } };
      assert.deepEqual([payload.type, payload.data.text, payload.data.inReplyTo.externalId], ['reply.created', 'Hello Otto', 'rev-9']);
    });

    it('fills saved replies in the customer language with the case variables', async () => {
      const t = await f.team.bo.api<{ id: number }>('POST', `/api/workspaces/${f.ws}/reply-templates`, {
        name: 'Refund', variants: { en: 'Hi {{customer.name}}, {{agent.name}} from {{brand.name}} here: refunded.', de: 'Hallo {{customer.name}}, hier {{agent.name}} von {{brand.name}}: erstattet.', es: 'Hola {{customer.name}}: reembolsado.' },
      });
      assert.equal(t.status, 201);
      const hook = await f.source('webhook', 'Shop reviews DE', {});
      await f.ingest(hook, 'webhook', [{ externalId: 'de-1', text: 'Mein Acme Mixer ist kaputt angekommen, ich will mein Geld zurück', author: { handle: 'jonas', name: 'Jonas' }, lang: 'de' }]);
      const c = await caseOf('de-1');
      const r = await f.team.bo.api<{ lang: string; text: string }>('POST', `/api/workspaces/${f.ws}/cases/${c.id}/render-template`, { templateId: t.body.id });
      assert.deepEqual(r.body, { lang: 'de', text: 'Hallo Jonas, hier Bo Agent von Acme: erstattet.' });
      const en = await f.team.bo.api<{ lang: string }>('POST', `/api/workspaces/${f.ws}/cases/${c.id}/render-template`, { templateId: t.body.id, lang: 'fr' });
      assert.equal(en.body.lang, 'en');
    });
  });
}
