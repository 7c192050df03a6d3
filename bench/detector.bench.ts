/**
 * Detector throughput: updates per second of the radar detector on synthetic 5-minute streams (a seasonal
 * metric with the default configuration, Poisson mention counts with the count preset), plus the size of
 * one stream's persisted state. Single-threaded, one detector per stream as in production.
 */
import { COUNT_RADAR_CONFIG, DEFAULT_RADAR_CONFIG, RadarDetector } from '../src/radar/detectors/radar.detector.ts';
import type { RadarConfig } from '../src/radar/detectors/radar.detector.ts';
import { mentionCounts, seasonalMetric } from '../src/radar/detectors/synthetic.ts';
import type { SyntheticPoint } from '../src/radar/detectors/synthetic.ts';

const FIVE_MIN = 5 * 60_000;

function measure(name: string, streams: SyntheticPoint[][], config: RadarConfig): void {
  let updates = 0;
  let sink = 0;
  let stateBytes = 0;
  const started = performance.now();
  for (const points of streams) {
    const detector = new RadarDetector(config);
    for (const p of points) sink += detector.update(p.t, p.value);
    updates += points.length;
    stateBytes = Math.max(stateBytes, JSON.stringify(detector).length);
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = Math.round(updates / seconds);
  console.log(`${name.padEnd(34)} ${updates} updates in ${seconds.toFixed(2)} s: ${rate.toLocaleString('en-US')} updates/s; state ≤ ${(stateBytes / 1024).toFixed(1)} KiB JSON (checksum ${sink.toFixed(1)})`);
}

const days = 30;
const seasonal = Array.from({ length: 8 }, (_, i) => seasonalMetric({ seed: i + 1, days, bucketMs: FIVE_MIN }));
const counts = Array.from({ length: 8 }, (_, i) => mentionCounts({ seed: i + 1, days, bucketMs: FIVE_MIN, rate: 5, growthPerDay: 0.01 }));
// The first pass warms up the JIT; the second is the figure to record.
measure('warm-up', seasonal.slice(0, 2), DEFAULT_RADAR_CONFIG);
measure('seasonal metric, default config', seasonal, DEFAULT_RADAR_CONFIG);
measure('mention counts, count preset', counts, COUNT_RADAR_CONFIG);
