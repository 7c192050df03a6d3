/**
 * The radar end to end over HTTP, on every dialect: two calm days stored through the pipeline, then a surge of
 * negative "cancelled" complaints. One alert per rule and incident (updated, not repeated, as the surge goes
 * on), explanations, the mentions behind an alert, acknowledge / resolve, muting a rule, the stream series with
 * its expected band and alert markers, and the signed webhook delivery sent after commit.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { DIALECTS } from './support/test-db.ts';
import { startRadarApp, type RadarTestApp } from './radar/radar-app.ts';
import { BUCKET, DAY, T0, calmItems, markerEnricher, surgeItems } from './radar/synthetic.ts';
import { startRecorder, type Recorder } from './radar/recorder.ts';
import type { SourceItem } from '../src/pipeline/source.ts';
import type { Alert } from '../src/alerts/alert.ts';

const SURGE = T0 + 2 * DAY + 14 * 3_600_000;

for (const dialect of DIALECTS) {
  describe(`radar alerts over HTTP (${dialect})`, () => {
    let t: RadarTestApp;
    let hook: Recorder;
    let secret: string;
    const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const res = await fetch(`${t.url}/api/workspaces/${t.ws}${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    };
    const store = async (items: SourceItem[], now: number) => {
      t.clock.set(now);
      await t.app.ctx.pipeline.process(t.pctx, { items, cursor: null });
      await t.app.ctx.radar.idle();
    };
    const alerts = async () => (await api<{ items: Alert[] }>('GET', '/alerts')).body.items;

    before(async () => {
      hook = await startRecorder();
      t = await startRadarApp(dialect, { start: T0, enrichers: [markerEnricher], listen: true, env: { FETCH_ALLOW_PRIVATE: 'loopback' } });
      const created = await api<{ config: { secret: string } }>('POST', '/alerts/channels', { kind: 'webhook', name: 'ops hook', url: `${hook.url}/hooks/earshot`, minSeverity: 'info' });
      assert.equal(created.status, 201);
      secret = created.body.config.secret;
      for (let h = T0; h < SURGE; h += 3_600_000) await store(calmItems(h, h + 3_600_000), h + 3_600_000);
    });
    after(async () => {
      await t.close();
      await hook.close();
    });

    it('learns the calm days without alerting', async () => {
      assert.deepEqual(await alerts(), []);
      const streams = (await api<{ items: { kind: string; band: unknown; learned: number }[] }>('GET', '/radar/streams')).body.items;
      const volume = streams.find((s) => s.kind === 'volume')!;
      assert.ok(volume.learned >= 2 * 288 - 1, `learned ${volume.learned}`);
      assert.ok(volume.band, 'the volume stream has an expected band after two days');
    });

    it('opens one alert per rule for a surge and updates it, rather than repeating it, while the surge goes on', async () => {
      for (let i = 0; i < 4; i++) await store(surgeItems(SURGE, 40, `s${i}`).slice(i * 10, i * 10 + 10), SURGE + (i + 1) * 60_000);
      const first = await alerts();
      const rules = first.map((a) => a.rule).sort();
      assert.deepEqual(rules, ['influential_complaint', 'negativity_spike', 'topic_surge', 'volume_spike']);
      await store(surgeItems(SURGE + BUCKET, 40, 'next'), SURGE + BUCKET + 4 * 60_000);
      const later = await alerts();
      assert.equal(later.length, first.length, 'no new alert for the same incident');
      const negative = later.find((a) => a.rule === 'negativity_spike')!;
      assert.ok(negative.updates >= 1, 'the incident was updated');
      assert.equal(negative.startedAt, SURGE);
      assert.equal(negative.severity, 'critical');
    });

    it('explains the alert: observed vs expected, since when, top terms and topics, representative mentions, top authors', async () => {
      const volume = (await alerts()).find((a) => a.rule === 'volume_spike')!;
      const e = volume.explanation;
      assert.ok(e.observed > (e.expected ?? Infinity) && e.expected! < 10, `observed ${e.observed} vs expected ${e.expected}`);
      assert.equal(e.since, SURGE);
      assert.ok(e.topTerms.some((x) => x.term === 'cancelled'), JSON.stringify(e.topTerms));
      assert.deepEqual(e.topTopics[0], { topic: 'cancellations', count: e.topTopics[0]!.count });
      assert.equal(e.topAuthors[0]!.handle, 'angry3');
      assert.equal(e.representative[0]!.author, 'angry3');
      assert.match(e.summary, /Mentions of US airlines: \d+ in 5 minutes .* expected .*unusual since/);
      const detail = (await api<{ mentions: { id: number }[] }>('GET', `/alerts/${volume.id}`)).body;
      assert.ok(detail.mentions.length >= 40, `mentions behind the alert: ${detail.mentions.length}`);
    });

    it('serves the stream series with its expected band and the alert markers', async () => {
      const volume = (await alerts()).find((a) => a.rule === 'volume_spike')!;
      const series = (await api<{ points: { bucket: number; n: number; expected: number | null; hi: number | null }[]; alerts: { id: number }[] }>('GET', `/radar/streams/${volume.streamId}?from=${SURGE - DAY}&to=${SURGE + DAY}`)).body;
      assert.ok(series.points.length >= 288, `points ${series.points.length}`);
      const surge = series.points.find((p) => p.bucket === SURGE)!;
      assert.ok(surge.n >= 40 && surge.hi !== null && surge.n > surge.hi);
      assert.ok(series.points.every((p) => p.expected === null || p.expected >= 0));
      assert.deepEqual(series.alerts.map((a) => a.id), [volume.id]);
    });

    it('delivers a signed webhook per alert after commit, and acknowledges and resolves', async () => {
      await t.app.ctx.radar.idle();
      const opened = hook.received.map((r) => JSON.parse(r.body) as { type: string; data: { alert: Alert } }).filter((p) => p.type === 'alert.opened');
      assert.equal(opened.length, 4);
      const wh = new Webhook(secret);
      for (const r of hook.received) wh.verify(r.body, { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) });
      const id = opened[0]!.data.alert.id;
      assert.equal((await api<Alert>('POST', `/alerts/${id}/acknowledge`)).body.status, 'acknowledged');
      assert.equal((await api<Alert>('POST', `/alerts/${id}/resolve`)).body.status, 'resolved');
      await t.app.ctx.radar.idle();
      assert.ok(hook.received.some((r) => (JSON.parse(r.body) as { type: string }).type === 'alert.resolved'));
      const detail = (await api<{ deliveries: { status: string; attempts: number; log: unknown[] }[] }>('GET', `/alerts/${id}`)).body;
      assert.ok(detail.deliveries.length >= 2 && detail.deliveries.every((d) => d.status === 'sent' && d.attempts === 1 && d.log.length === 1));
    });

    it('tells the channels again when an incident grows (escalation), without opening a new alert', async () => {
      const before = (await alerts()).length;
      await store(surgeItems(SURGE + 2 * BUCKET, 120, 'bigger'), SURGE + 2 * BUCKET + 4 * 60_000);
      assert.equal((await alerts()).length, before);
      const escalated = hook.received.map((r) => JSON.parse(r.body) as { type: string; data: { alert: Alert } }).filter((p) => p.type === 'alert.escalated');
      assert.ok(escalated.some((p) => p.data.alert.rule === 'negativity_spike' && p.data.alert.observed >= 120), JSON.stringify(escalated.map((p) => [p.data.alert.rule, p.data.alert.observed])));
    });

    it('mutes a rule: no alert while muted, alerts again once unmuted', async () => {
      const rules = (await api<{ items: { id: number; kind: string }[] }>('GET', '/alerts/rules')).body.items;
      const influential = rules.find((r) => r.kind === 'influential_complaint')!;
      assert.equal((await api<{ muted: boolean }>('PATCH', `/alerts/rules/${influential.id}`, { muted: true })).body.muted, true);
      const complaint = (id: string, handle: string): SourceItem => ({ externalId: id, text: `Worst airline ever, ${handle} says: cancelled #neg`, publishedAt: SURGE + 3 * BUCKET, author: { handle, followers: 250_000 } });
      const before = (await alerts()).length;
      await store([complaint('star-1', 'famous_one')], SURGE + 3 * BUCKET + 1000);
      assert.equal((await alerts()).length, before);
      await api('PATCH', `/alerts/rules/${influential.id}`, { muted: false });
      await store([complaint('star-2', 'famous_two')], SURGE + 3 * BUCKET + 2000);
      const now = await alerts();
      assert.equal(now.length, before + 1);
      assert.match(now[0]!.title, /Influential complaint: US airlines — @famous_two/);
    });

    it('flags a mention that spreads fast (virality)', async () => {
      const at = SURGE + 4 * BUCKET;
      await store([{ externalId: 'viral-1', text: 'Look at how they treat guitars', publishedAt: at - 20 * 60_000, author: { handle: 'musician', followers: 900 }, metrics: { shares: 400, likes: 2000 } }], at);
      const viral = (await alerts()).find((a) => a.rule === 'viral_mention')!;
      assert.ok(viral && viral.explanation.observed > 100, JSON.stringify(viral?.explanation));
      assert.equal(viral.explanation.unit, 'weighted engagement per hour');
    });

    it('closes the buckets of a stream that went quiet once the grace period has passed (the ticker)', async () => {
      const streams = async () => (await api<{ items: { id: number; kind: string; openBucket: number }[] }>('GET', '/radar/streams')).body.items;
      const before = (await streams()).find((s) => s.kind === 'volume')!;
      t.clock.set(SURGE + DAY);
      await t.app.ctx.radar.service.advanceStale();
      const after = (await streams()).find((s) => s.kind === 'volume')!;
      assert.ok(after.openBucket > before.openBucket && after.openBucket >= SURGE + DAY - 20 * 60_000, `${before.openBucket} → ${after.openBucket}`);
    });
  });
}
