/**
 * Notifiers against local servers that record what they receive: the generic webhook (Standard Webhooks
 * signature verifiable by the library, stable id across retries, backoff after a 500, no retry after a 404),
 * the Slack-compatible message (escaped customer text) and e-mail over SMTP (smtp-server). The dispatcher
 * records every attempt on the delivery.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { DIALECTS } from './support/test-db.ts';
import { startRadarApp, type RadarTestApp } from './radar/radar-app.ts';
import { startRecorder, type Recorder } from './radar/recorder.ts';
import { markerEnricher, T0 } from './radar/synthetic.ts';
import { withRadar } from '../src/radar/radar.schema.ts';
import { insertAlert } from '../src/alerts/alert.repository.ts';
import { ensureRules } from '../src/alerts/alert.repository.ts';
import { queueForChannels } from '../src/alerts/alert-raise.ts';
import { listDeliveriesForAlert } from '../src/alerts/alert-channel.repository.ts';
import { BACKOFF_MS } from '../src/alerts/alert-dispatcher.ts';
import type { Alert } from '../src/alerts/alert.ts';
import { loadConfig } from '../src/config.ts';

interface Mail {
  from: string;
  to: string[];
  data: string;
}

async function startSmtp(): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

for (const dialect of DIALECTS) {
  describe(`alert notifiers (${dialect})`, () => {
    let t: RadarTestApp;
    let hook: Recorder;
    let slack: Recorder;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const api = async <T>(method: string, path: string, body?: unknown) => {
      const res = await fetch(`${t.url}/api/workspaces/${t.ws}${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as T };
    };
    /** An alert committed with its outbox rows, as the radar would leave it. */
    const raise = async (title: string, text: string): Promise<Alert> => {
      const db = withRadar(t.app.ctx.db.kysely);
      return db.transaction().execute(async (trx) => {
        const rule = (await ensureRules(trx, t.ws, T0)).get('negativity_spike')!;
        const explanation = { summary: `Negative mentions of US airlines: 40 in 5 minutes, about 3 expected. ${text}`, unit: 'mentions per 5 minutes', brand: { id: t.brand, name: 'US airlines' }, stream: null, observed: 40, expected: 3, upper: 8, since: T0, peakAt: T0, window: { from: T0, to: T0 + 300_000 }, mentions: 40, topTerms: [{ term: 'cancelled', count: 30, lift: 9 }], topTopics: [], representative: [{ id: 1, text, url: null, publishedAt: T0, author: 'angry3', followers: 52000, sentiment: 'negative' }], topAuthors: [{ handle: 'angry3', name: null, followers: 52000, mentions: 1 }], detector: null };
        const alert = await insertAlert(trx, { workspace_id: t.ws, rule_id: rule.id, rule_kind: rule.kind, brand_id: t.brand, stream_id: null, mention_id: null, dedupe_key: `test:${title}`, status: 'open', severity: 'critical', title, score: 0.9, peak_score: 0.9, observed: 40, expected: 3, explanation: JSON.stringify(explanation), started_at: T0, last_seen_at: T0, acknowledged_at: null, resolved_at: null, created_at: T0, updated_at: T0 });
        await queueForChannels(trx, alert, 'opened', t.clock.now());
        return alert;
      });
    };

    before(async () => {
      [hook, slack, smtp] = await Promise.all([startRecorder(), startRecorder(), startSmtp()]);
      t = await startRadarApp(dialect, { start: T0, enrichers: [markerEnricher], listen: true, env: { FETCH_ALLOW_PRIVATE: 'loopback', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_FROM: 'radar@earshot.test' } });
    });
    after(async () => {
      await t.close();
      await Promise.all([hook.close(), slack.close(), smtp.close()]);
    });

    it('sends to webhook, Slack and e-mail channels after commit and records each attempt', async () => {
      const wh = await api<{ id: number; config: { secret: string } }>('POST', '/alerts/channels', { kind: 'webhook', name: 'hook', url: `${hook.url}/in`, minSeverity: 'warning' });
      await api('POST', '/alerts/channels', { kind: 'slack', name: 'slack', url: `${slack.url}/services/T/B/X` });
      await api('POST', '/alerts/channels', { kind: 'email', name: 'mail', to: ['ops@example.com', 'pr@example.com'], minSeverity: 'critical' });
      const alert = await raise('Negativity spike: US airlines', 'Flight <cancelled> & no refund <!channel>');
      await t.app.ctx.radar.dispatcher.runOnce();

      assert.equal(hook.received.length, 1);
      const r = hook.received[0]!;
      const verified = new Webhook(wh.body.config.secret).verify(r.body, { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) }) as { type: string; data: { alert: Alert } };
      assert.equal(verified.type, 'alert.opened');
      assert.equal(verified.data.alert.id, alert.id);

      assert.equal(slack.received.length, 1);
      const msg = JSON.parse(slack.received[0]!.body) as { text: string; blocks: unknown[] };
      assert.match(msg.text, /\[critical\] New alert: Negativity spike: US airlines/);
      assert.ok(!slack.received[0]!.body.includes('<!channel>') && slack.received[0]!.body.includes('&lt;!channel&gt;'), 'customer text cannot ping the channel');

      assert.equal(smtp.mails.length, 1);
      assert.deepEqual(smtp.mails[0]!.to, ['ops@example.com', 'pr@example.com']);
      assert.match(smtp.mails[0]!.data, /Subject: \[critical\] New alert: Negativity spike: US airlines/);
      assert.match(smtp.mails[0]!.data, /Flight &lt;cancelled&gt; &amp; no refund/);

      const deliveries = await listDeliveriesForAlert(withRadar(t.app.ctx.db.kysely), alert.id);
      assert.deepEqual(deliveries.map((d) => [d.status, d.attempts, d.log.length, d.log[0]!.ok]), [['sent', 1, 1, true], ['sent', 1, 1, true], ['sent', 1, 1, true]]);
      assert.equal(deliveries[2]!.log[0]!.status, 250);
    });

    it('retries a failed webhook with backoff under the same id, and gives up at once on a 404', async () => {
      hook.received.length = 0;
      slack.received.length = 0;
      hook.script.push(500);
      slack.script.push(404);
      const alert = await raise('Volume spike: US airlines', 'again');
      await t.app.ctx.radar.dispatcher.runOnce();
      const db = withRadar(t.app.ctx.db.kysely);
      let [toHook, toSlack] = (await listDeliveriesForAlert(db, alert.id)).slice(0, 2);
      assert.deepEqual([toHook!.status, toHook!.attempts, toHook!.log[0]!.status], ['pending', 1, 500]);
      assert.equal(toHook!.nextAttemptAt, t.clock.now() + BACKOFF_MS[0]!);
      assert.deepEqual([toSlack!.status, toSlack!.attempts, toSlack!.log[0]!.status], ['failed', 1, 404]);

      await t.app.ctx.radar.dispatcher.runOnce();
      assert.equal(hook.received.length, 1, 'not retried before the backoff');
      t.clock.set(t.clock.now() + BACKOFF_MS[0]!);
      await t.app.ctx.radar.dispatcher.runOnce();
      [toHook, toSlack] = (await listDeliveriesForAlert(db, alert.id)).slice(0, 2);
      assert.deepEqual([toHook!.status, toHook!.attempts, toHook!.log.map((l) => l.ok)], ['sent', 2, [false, true]]);
      assert.equal(hook.received.length, 2);
      assert.equal(hook.received[0]!.headers['webhook-id'], hook.received[1]!.headers['webhook-id']);
      assert.equal(toSlack!.attempts, 1);
    });

    it('sends a channel a test message on request and reports the answer', async () => {
      const ch = await api<{ id: number }>('POST', '/alerts/channels', { kind: 'slack', name: 'test me', url: `${slack.url}/services/T/B/Y` });
      slack.script.push(500);
      assert.deepEqual((await api('POST', `/alerts/channels/${ch.body.id}/test`)).body, { ok: false, status: 500, error: 'the target answered HTTP 500' });
      assert.deepEqual((await api('POST', `/alerts/channels/${ch.body.id}/test`)).body, { ok: true, status: 200, error: null });
      assert.match(slack.received[slack.received.length - 1]!.body, /Test alert/);
    });

    it('edits a channel: name, target, minimum severity and on/off; rotates a webhook secret; keeps secrets and Slack URLs out of listings', async () => {
      type Ch = { id: number; name: string; kind: string; minSeverity: string; enabled: boolean; config: { url?: string; secret?: string; to?: string[] } };
      const wh = (await api<Ch>('POST', '/alerts/channels', { kind: 'webhook', name: 'edit me', url: `${hook.url}/old`, minSeverity: 'warning' })).body;
      const sl = (await api<Ch>('POST', '/alerts/channels', { kind: 'slack', name: 'edit slack', url: `${slack.url}/services/T1/B1/SECRET` })).body;
      const ml = (await api<Ch>('POST', '/alerts/channels', { kind: 'email', name: 'edit mail', to: ['a@example.com'] })).body;

      const edited = await api<Ch>('PATCH', `/alerts/channels/${wh.id}`, { name: 'edited hook', url: `${hook.url}/new`, minSeverity: 'critical', enabled: false });
      assert.equal(edited.status, 200);
      assert.deepEqual([edited.body.name, edited.body.config.url, edited.body.minSeverity, edited.body.enabled], ['edited hook', `${hook.url}/new`, 'critical', false]);
      assert.equal(edited.body.config.secret, `${wh.config.secret!.slice(0, 10)}…`, 'an edit keeps the secret and does not show it');

      const rotated = await api<Ch>('PATCH', `/alerts/channels/${wh.id}`, { rotateSecret: true });
      assert.match(rotated.body.config.secret!, /^whsec_/);
      assert.notEqual(rotated.body.config.secret, wh.config.secret);
      assert.equal(rotated.body.config.url, `${hook.url}/new`);

      const slackNamed = await api<Ch>('PATCH', `/alerts/channels/${sl.id}`, { name: 'renamed slack' });
      assert.equal(slackNamed.body.config.url, `${slack.url}/services/…`, 'a Slack URL is the credential: never shown whole');
      const mail = await api<Ch>('PATCH', `/alerts/channels/${ml.id}`, { to: ['b@example.com', 'c@example.com'] });
      assert.deepEqual(mail.body.config.to, ['b@example.com', 'c@example.com']);

      const listed = (await api<{ items: Ch[] }>('GET', '/alerts/channels')).body.items;
      const byId = new Map(listed.map((c) => [c.id, c]));
      assert.equal(byId.get(sl.id)!.config.url, `${slack.url}/services/…`);
      assert.equal(byId.get(wh.id)!.config.secret, `${rotated.body.config.secret!.slice(0, 10)}…`);
      assert.equal(byId.get(wh.id)!.enabled, false);

      // The stored Slack URL is still the whole one: a test message reaches it.
      const sent = slack.received.length;
      assert.deepEqual((await api('POST', `/alerts/channels/${sl.id}/test`)).body, { ok: true, status: 200, error: null });
      assert.equal(slack.received[sent]!.path, '/services/T1/B1/SECRET');

      assert.equal((await api('PATCH', `/alerts/channels/${wh.id}`, { name: 'renamed slack' })).status, 409);
      assert.equal((await api('PATCH', `/alerts/channels/${ml.id}`, { url: 'https://example.com/x' })).status, 400);
      assert.equal((await api('PATCH', `/alerts/channels/${sl.id}`, { to: ['x@example.com'] })).status, 400);
      assert.equal((await api('PATCH', `/alerts/channels/${sl.id}`, { rotateSecret: true })).status, 400);
      assert.equal((await api('PATCH', `/alerts/channels/${wh.id}`, { url: 'ftp://example.com/x' })).status, 400);
      assert.equal((await api('PATCH', `/alerts/channels/${wh.id}`, { kind: 'slack' })).status, 400);
      assert.equal((await api('PATCH', '/alerts/channels/999999', { name: 'nobody' })).status, 404);
    });

    it('refuses an e-mail channel without recipients and a webhook without a URL', async () => {
      assert.equal((await api('POST', '/alerts/channels', { kind: 'email', name: 'nobody' })).status, 400);
      assert.equal((await api('POST', '/alerts/channels', { kind: 'webhook', name: 'nowhere' })).status, 400);
      const listed = await api<{ items: { config: { secret?: string } }[] }>('GET', '/alerts/channels');
      assert.ok(listed.body.items.every((c) => !c.config.secret || c.config.secret.endsWith('…')), 'secrets are not listed');
    });
  });
}

describe('SMTP settings for alert e-mails', () => {
  it('need a sender with a host, and a password with a user', () => {
    assert.throws(() => loadConfig({}, { SMTP_HOST: 'mail.example.com' }), /SMTP_FROM: is required/);
    assert.throws(() => loadConfig({}, { SMTP_HOST: 'mail.example.com', SMTP_FROM: 'a@b.c', SMTP_USER: 'u' }), /set both or neither/);
    assert.equal(loadConfig({}, {}).smtp, null);
    assert.deepEqual(loadConfig({}, { SMTP_HOST: 'mail.example.com', SMTP_FROM: 'a@b.c', SMTP_SECURE: 'true' }).smtp, { host: 'mail.example.com', port: 465, secure: true, user: null, password: null, from: 'a@b.c' });
  });
});
