/**
 * Detector throughput: updates per second of the radar detector on synthetic 5-minute streams (a seasonal
 * metric with the default configuration, Poisson mention counts with the count preset, dense and sparse),
 * plus the size of one stream's persisted state, and the cost of scoring an open bucket on a copy of the
 * detector (`fromJSON(snapshot())` + one update, as `advanceStream` does each round). Single-threaded, one
 * detector per stream as in production. µs per update are CPU time (`process.cpuUsage`, user + system),
 * which a busy shared machine inflates less than wall time; the best of 5 passes is the figure to record.
 */
import { COUNT_RADAR_CONFIG, DEFAULT_RADAR_CONFIG, RadarDetector } from '../src/radar/detectors/radar.detector.ts';
import type { RadarConfig } from '../src/radar/detectors/radar.detector.ts';
import { mentionCounts, seasonalMetric } from '../src/radar/detectors/synthetic.ts';
import type { SyntheticPoint } from '../src/radar/detectors/synthetic.ts';

const FIVE_MIN = 5 * 60_000;
const PASSES = 5;

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

interface Pass {
  updates: number;
  wallSeconds: number;
  cpuMicros: number;
  stateBytes: number;
  sink: number;
}

function updatePass(streams: SyntheticPoint[][], config: RadarConfig): Pass {
  let updates = 0;
  let sink = 0;
  let stateBytes = 0;
  const started = performance.now();
  const cpu0 = cpuMicros();
  for (const points of streams) {
    const detector = new RadarDetector(config);
    for (const p of points) sink += detector.update(p.t, p.value);
    updates += points.length;
    stateBytes = Math.max(stateBytes, JSON.stringify(detector).length);
  }
  return { updates, cpuMicros: cpuMicros() - cpu0, wallSeconds: (performance.now() - started) / 1000, stateBytes, sink };
}

/** Every 10th point of each stream, an open bucket (twice the count) is scored on a copy of the detector. */
function copyPass(streams: SyntheticPoint[][], config: RadarConfig): Pass {
  let updates = 0;
  let sink = 0;
  let cpu = 0;
  let wall = 0;
  for (const points of streams) {
    const detector = new RadarDetector(config);
    points.forEach((p, i) => {
      detector.update(p.t, p.value);
      const next = points[i + 1];
      if (i % 10 !== 0 || !next) return;
      const [started, cpu0] = [performance.now(), cpuMicros()];
      sink += RadarDetector.fromJSON(detector.snapshot(), config).update(next.t, next.value * 2);
      [cpu, wall, updates] = [cpu + cpuMicros() - cpu0, wall + performance.now() - started, updates + 1];
    });
  }
  return { updates, cpuMicros: cpu, wallSeconds: wall / 1000, stateBytes: 0, sink };
}

function measure(name: string, pass: () => Pass): void {
  const passes = Array.from({ length: PASSES }, pass);
  const best = passes.reduce((a, b) => (b.cpuMicros < a.cpuMicros ? b : a));
  const median = [...passes].sort((a, b) => a.cpuMicros - b.cpuMicros)[PASSES >> 1]!;
  const rate = Math.round(best.updates / best.wallSeconds);
  const state = best.stateBytes ? `; state ≤ ${(best.stateBytes / 1024).toFixed(1)} KiB JSON` : '';
  console.log(
    `${name.padEnd(40)} ${(best.cpuMicros / best.updates).toFixed(2).padStart(6)} µs CPU/update (median ${(median.cpuMicros / median.updates).toFixed(2)}), ` +
      `${best.updates} updates, ${rate.toLocaleString('en-US')} updates/s wall${state} (checksum ${best.sink.toFixed(1)})`,
  );
}

const days = 30;
const seasonal = Array.from({ length: 8 }, (_, i) => seasonalMetric({ seed: i + 1, days, bucketMs: FIVE_MIN }));
const counts = Array.from({ length: 8 }, (_, i) => mentionCounts({ seed: i + 1, days, bucketMs: FIVE_MIN, rate: 5, growthPerDay: 0.01 }));
const sparse = Array.from({ length: 8 }, (_, i) => mentionCounts({ seed: i + 1, days, bucketMs: FIVE_MIN, rate: 0.2, growthPerDay: 0.01 }));
// The first pass warms up the JIT; the others are the figures to record.
updatePass(seasonal.slice(0, 2), DEFAULT_RADAR_CONFIG);
measure('seasonal metric, default config', () => updatePass(seasonal, DEFAULT_RADAR_CONFIG));
measure('mention counts (5/bucket), count preset', () => updatePass(counts, COUNT_RADAR_CONFIG));
measure('sparse counts (0.2/bucket), count preset', () => updatePass(sparse, COUNT_RADAR_CONFIG));
measure('open bucket: copy + update, sparse', () => copyPass(sparse.slice(0, 2), COUNT_RADAR_CONFIG));
