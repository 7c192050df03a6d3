import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { COUNT_RADAR_CONFIG, DEFAULT_RADAR_CONFIG, RadarDetector } from './radar.detector.ts';
import type { RadarConfig, RadarState } from './radar.detector.ts';
import { mentionCounts, seasonalMetric } from './synthetic.ts';
import type { SyntheticPoint } from './synthetic.ts';

const FIVE_MIN = 5 * 60_000;

/**
 * States saved by the detector as it was before its per-update speed-up (2026-11), each with the scores
 * that detector gave the next points: a saved state must keep loading and scoring bit for bit the same.
 */
interface SavedFixture { points: number; state: RadarState; scores: number[] }
const SAVED = JSON.parse(fs.readFileSync(new URL('./fixtures/radar-state-2026-11.json', import.meta.url), 'utf8')) as Record<'seasonal' | 'counts', SavedFixture>;

function scoresOf(points: readonly SyntheticPoint[], config: RadarConfig = DEFAULT_RADAR_CONFIG): number[] {
  const d = new RadarDetector(config);
  return points.map((p) => d.update(p.t, p.value));
}

function maxOf(xs: readonly number[]): number {
  return xs.reduce((a, b) => Math.max(a, b), 0);
}

describe('RadarDetector', () => {
  it('alerts on a spike in a daily-seasonal series, and not on the daily rhythm itself', () => {
    const surge = { from: 10 * 288 + 100, to: 10 * 288 + 103, factor: 3 };
    const scores = scoresOf(seasonalMetric({ seed: 7, days: 14, bucketMs: FIVE_MIN, surge }));
    const warm = DEFAULT_RADAR_CONFIG.warmupPoints;
    assert.ok(maxOf(scores.slice(warm, surge.from)) < 0.5, 'the rhythm before the spike must not alert');
    assert.ok(maxOf(scores.slice(surge.from, surge.to)) >= 0.5, 'the spike must alert');
  });

  it('keeps quiet on a seasonal series without anomalies', () => {
    const scores = scoresOf(seasonalMetric({ seed: 11, days: 14, bucketMs: FIVE_MIN }));
    assert.ok(maxOf(scores.slice(DEFAULT_RADAR_CONFIG.warmupPoints)) < 0.5);
  });

  it('alerts on a surge of mention counts, not on Poisson noise at low counts or slow growth', () => {
    const surge = { from: 9 * 288 + 50, to: 9 * 288 + 62, factor: 6 };
    const counts = mentionCounts({ seed: 3, days: 12, bucketMs: FIVE_MIN, rate: 2, growthPerDay: 0.03, surge });
    const scores = scoresOf(counts, COUNT_RADAR_CONFIG);
    assert.ok(maxOf(scores.slice(COUNT_RADAR_CONFIG.warmupPoints, surge.from)) < 0.5, 'noise and growth must not alert');
    assert.ok(maxOf(scores.slice(surge.from, surge.to)) >= 0.5, 'the surge must alert');
  });

  it('alerts when a stream starts to flap inside its usual range (the volatility component), not before', () => {
    const flapFrom = 8 * 288 + 60;
    const points = seasonalMetric({ seed: 29, days: 10, bucketMs: FIVE_MIN }).map((p, i) =>
      i >= flapFrom && i < flapFrom + 60 ? { ...p, value: 100 + (i % 2 ? 45 : -45) } : p);
    const d = new RadarDetector();
    const scores = points.map((p) => d.update(p.t, p.value));
    assert.ok(maxOf(scores.slice(DEFAULT_RADAR_CONFIG.warmupPoints, flapFrom)) < 0.5, 'the rhythm must not alert');
    const flap = new RadarDetector();
    let volatility = 0;
    points.slice(0, flapFrom + 60).forEach((p, i) => { flap.update(p.t, p.value); if (i >= flapFrom) volatility = Math.max(volatility, flap.last.volatility); });
    assert.ok(volatility >= 1, `the flapping is a volatility breakout (${volatility})`);
    assert.ok(maxOf(scores.slice(flapFrom, flapFrom + 60)) >= 0.5, 'the flapping must alert');
  });

  it('restores a state saved before the volatility component existed, and learns that component afresh', () => {
    const points = seasonalMetric({ seed: 31, days: 3, bucketMs: FIVE_MIN });
    const d = new RadarDetector();
    points.slice(0, 400).forEach((p) => d.update(p.t, p.value));
    const { volatility: _dropped, ...old } = d.toJSON();
    const restored = RadarDetector.fromJSON(old as unknown as RadarState);
    assert.equal(restored.snapshot().volatility.n, 0);
    points.slice(400).forEach((p, i) => {
      restored.update(p.t, p.value);
      if (i < DEFAULT_RADAR_CONFIG.warmupPoints) assert.equal(restored.last.volatility, 0, 'the new component has its own warm-up');
    });
    assert.equal(restored.snapshot().volatility.n, points.length - 400);
    assert.equal(restored.snapshot().n, points.length, 'the other components kept their history');
  });

  it('fires once per incident: the points after an alert stay under 0.5 during the cool-down', () => {
    const surge = { from: 10 * 288, to: 10 * 288 + 40, factor: 3 };
    const scores = scoresOf(seasonalMetric({ seed: 5, days: 12, bucketMs: FIVE_MIN, surge }));
    const alerts = scores.flatMap((s, i) => (s >= 0.5 && i >= surge.from && i < surge.to ? [i] : []));
    assert.equal(alerts.length, 1);
  });

  it('does not look ahead: changing later values leaves earlier scores unchanged', () => {
    const points = seasonalMetric({ seed: 13, days: 5, bucketMs: FIVE_MIN });
    const changed = points.map((p, i) => (i >= 900 ? { ...p, value: p.value * 3 + 40 } : p));
    const a = scoresOf(points);
    const b = scoresOf(changed);
    assert.deepEqual(b.slice(0, 900), a.slice(0, 900));
    assert.notDeepEqual(b.slice(900), a.slice(900));
  });

  it('round-trips its state through JSON and continues exactly where it stopped', () => {
    const points = seasonalMetric({ seed: 17, days: 4, bucketMs: FIVE_MIN, surge: { from: 1000, to: 1003, factor: 3 } });
    const whole = scoresOf(points);
    const first = new RadarDetector();
    points.slice(0, 600).forEach((p) => first.update(p.t, p.value));
    const restored = RadarDetector.fromJSON(JSON.parse(JSON.stringify(first)));
    const rest = points.slice(600).map((p) => restored.update(p.t, p.value));
    assert.deepEqual(rest, whole.slice(600));
  });

  it('snapshot() reads the live state without copying or changing it, and a detector rebuilt from it continues identically', () => {
    const points = seasonalMetric({ seed: 23, days: 3, bucketMs: FIVE_MIN, surge: { from: 700, to: 703, factor: 3 } });
    const d = new RadarDetector();
    points.slice(0, 500).forEach((p) => d.update(p.t, p.value));
    const viaJson = JSON.stringify(d.toJSON());
    assert.equal(d.snapshot(), d.snapshot(), 'the same object each time: no copy');
    assert.equal(JSON.stringify(d.snapshot()), viaJson);
    assert.equal(d.snapshot().n, 500);
    const copy = RadarDetector.fromJSON(d.snapshot());
    const a = points.slice(500).map((p) => copy.update(p.t, p.value));
    assert.equal(JSON.stringify(d.snapshot()), viaJson, 'the copy does not share state with the original');
    const b = points.slice(500).map((p) => d.update(p.t, p.value));
    assert.deepEqual(a, b);
    assert.equal(d.snapshot().n, points.length, 'the view follows later updates');
  });

  it('continues a state saved by the earlier code with exactly the scores that code gave', () => {
    const cases = [
      { saved: SAVED.seasonal, config: DEFAULT_RADAR_CONFIG, points: seasonalMetric({ seed: 41, days: 4, bucketMs: FIVE_MIN, surge: { from: 716, to: 720, factor: 3 } }) },
      { saved: SAVED.counts, config: COUNT_RADAR_CONFIG, points: mentionCounts({ seed: 43, days: 4, bucketMs: FIVE_MIN, rate: 0.5, growthPerDay: 0.01, surge: { from: 716, to: 728, factor: 8 } }) },
    ];
    for (const { saved, config, points } of cases) {
      const next = points.slice(saved.points, saved.points + saved.scores.length);
      const restored = RadarDetector.fromJSON(saved.state, config);
      assert.deepEqual(next.map((p) => restored.update(p.t, p.value)), saved.scores);
      // The same run uninterrupted, and interrupted by a save and load at every 37th point, agree too.
      const whole = new RadarDetector(config);
      let hopping = new RadarDetector(config);
      points.slice(0, saved.points + saved.scores.length).forEach((p, i) => {
        if (i % 37 === 0) hopping = RadarDetector.fromJSON(JSON.parse(JSON.stringify(hopping.snapshot())) as RadarState, config);
        assert.equal(hopping.update(p.t, p.value), whole.update(p.t, p.value), `point ${i}`);
        if (i === saved.points - 1) assert.equal(JSON.stringify(whole.snapshot()), JSON.stringify(saved.state), 'the same saved state');
      });
    }
  });

  it('ignores non-finite values and points out of time order without learning from them', () => {
    const d = new RadarDetector();
    d.update(1_000, 5);
    d.update(2_000, 6);
    const before = JSON.stringify(d);
    assert.equal(d.update(1_500, 100), 0);
    assert.equal(d.update(3_000, Number.NaN), 0);
    assert.equal(JSON.stringify(d), before);
  });

  it('always scores within [0, 1]', () => {
    const points = seasonalMetric({ seed: 19, days: 3, bucketMs: FIVE_MIN, surge: { from: 500, to: 520, factor: 40 } });
    for (const s of scoresOf(points)) assert.ok(s >= 0 && s <= 1, `score ${s}`);
  });
});
