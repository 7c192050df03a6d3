/**
 * Detection latency (issue 5's bar): the airline-en tweets are replayed in time order through the full
 * application (createApp → Pipeline batches → MentionBus → radar → alert rules). The trigger — the first
 * mention after which the brand's stream, scored offline by the same detector on the same buckets, is
 * anomalous — is found independently of the service; the volume-spike alert must be committed within
 * 10 seconds (wall clock) of the moment the batch holding that mention was handed to the pipeline.
 *
 * The replay is far faster than real time (days in seconds), which makes the bar harder, not easier: the radar
 * has to keep up with hundreds of batches a second. 10 s is the issue's bar; the measured figure (tens of
 * milliseconds here) is printed and recorded in BENCHMARKS.md.
 */
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/test-db.ts';
import { loadAirlineRows, labelEnricher, toItem, type AirlineRow } from './radar/airline-replay.ts';
import { startRadarApp, type RadarTestApp } from './radar/radar-app.ts';
import { COUNT_RADAR_CONFIG, RadarDetector } from '../src/radar/detectors/radar.detector.ts';
import { bucketOf } from '../src/radar/stream-advance.ts';
import type { AlertEvent } from '../src/radar/radar.service.ts';

// Three and a half days of history (the detector needs one to warm up), the surge, and an hour after it.
const FROM = Date.parse('2015-02-19T08:00:00Z');
const UNTIL = Date.parse('2015-02-22T22:00:00Z');
const rows = loadAirlineRows(UNTIL).filter((r) => r.at >= FROM);

/**
 * Index of the first row after which the open bucket (counted so far) scores ≥ 0.5 — the same detector,
 * offline. Each bucket is first scored at its final count (one detector copy per bucket); only in the first
 * bucket that reaches 0.5 are its rows tried one by one. (Should a bucket pass 0.5 part-way and fall back
 * below by its end, the trigger found is later, so the latency measured is longer: a conservative choice.)
 */
function offlineTrigger(all: readonly AirlineRow[]): number {
  const detector = new RadarDetector(COUNT_RADAR_CONFIG);
  const provisional = (bucket: number, n: number) => RadarDetector.fromJSON(detector.snapshot(), COUNT_RADAR_CONFIG).update(bucket, n);
  for (let i = 0; i < all.length; ) {
    const bucket = bucketOf(all[i]!.at);
    let j = i;
    while (j < all.length && bucketOf(all[j]!.at) === bucket) j++;
    if (provisional(bucket, j - i) >= 0.5) {
      for (let k = i; k < j; k++) if (provisional(bucket, k - i + 1) >= 0.5) return k;
    }
    detector.update(bucket, j - i);
    const next = j < all.length ? bucketOf(all[j]!.at) : bucket;
    for (let b = bucket + 300_000; b < next; b += 300_000) detector.update(b, 0);
    i = j;
  }
  return -1;
}

/** History in 30-minute batches, then (from 3 hours before the trigger) one batch per minute of tweets, as a streaming source would deliver them. */
function batches(all: readonly AirlineRow[], fineFrom: number): AirlineRow[][] {
  const out: AirlineRow[][] = [];
  let cur: AirlineRow[] = [];
  let key = -1;
  for (const r of all) {
    const k = r.at < fineFrom ? Math.floor(r.at / 1_800_000) : 1e9 + Math.floor(r.at / 60_000);
    if (k !== key) {
      cur = [];
      out.push(cur);
      key = k;
    }
    cur.push(r);
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`radar detection latency on the airline replay (${dialect})`, () => {
    let t: RadarTestApp;
    before(async () => {
      t = await startRadarApp(dialect, { start: rows[0]!.at, enrichers: [labelEnricher(rows)] });
    });
    after(() => t.close());

    it('fires the volume-spike alert within 10 s of the mention that makes the window anomalous', async () => {
      const trigger = offlineTrigger(rows);
      assert.ok(trigger > 0, 'the offline detector finds the surge');
      const triggerRow = rows[trigger]!;
      const submitted = new Map<string, number>();
      const fired: { event: AlertEvent; wall: number }[] = [];
      const off = t.app.ctx.radar.service.onAlert((event) => fired.push({ event, wall: performance.now() }));
      for (const batch of batches(rows, triggerRow.at - 3 * 3_600_000)) {
        const last = batch[batch.length - 1]!;
        t.clock.set(last.at + 1);
        const wall = performance.now();
        for (const r of batch) submitted.set(r.id, wall);
        await t.app.ctx.pipeline.process(t.pctx, { items: batch.map(toItem), cursor: null });
      }
      await t.app.ctx.radar.idle();
      off();
      const spikes = fired.filter((f) => f.event.opened && f.event.alert.rule === 'volume_spike');
      assert.equal(spikes.length, 1, `one incident, one alert: ${JSON.stringify(spikes.map((s) => [s.event.alert.id, s.event.alert.streamId, s.event.alert.startedAt, s.event.alert.lastSeenAt, s.event.alert.dedupeKey]))}`);
      const latencyMs = spikes[0]!.wall - submitted.get(triggerRow.id)!;
      const alert = spikes[0]!.event.alert;
      console.log(`# ${dialect}: trigger mention ${trigger + 1}/${rows.length} at ${new Date(triggerRow.at).toISOString()}; alert ${alert.title} for bucket ${new Date(alert.startedAt).toISOString()} after ${latencyMs.toFixed(0)} ms`);
      console.log(`# ${alert.explanation.summary}`);
      assert.ok(latencyMs >= 0 && latencyMs <= 10_000, `latency ${latencyMs} ms`);
      assert.equal(alert.startedAt, bucketOf(triggerRow.at));
      assert.ok(alert.explanation.observed > (alert.explanation.expected ?? Infinity), 'observed above expected');
      assert.ok(alert.explanation.representative.length > 0 && alert.explanation.topTerms.length > 0);
    });
  });
}
