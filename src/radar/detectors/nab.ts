/**
 * The pure half of the NAB benchmark contract: one series in, one score per point out, with the same
 * detector and configuration the radar uses. File handling lives in `src/cli/commands/nab.ts`.
 */
import { DEFAULT_RADAR_CONFIG, RadarDetector } from './radar.detector.ts';
import type { RadarConfig } from './radar.detector.ts';

/** One row of a NAB data file. */
export interface NabPoint {
  /** As written in the file, echoed unchanged in the output. */
  timestamp: string;
  value: number;
}

const NAB_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/;

/** NAB timestamps are naive local times; reading them as UTC keeps days and weeks aligned. */
export function parseNabTimestamp(s: string): number {
  const m = NAB_TIME.exec(s.trim());
  if (!m) throw new Error(`unparseable NAB timestamp: ${JSON.stringify(s)}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
}

/** Runs a fresh detector over the series in order and returns its score for every point. */
export function scoreNabSeries(points: readonly NabPoint[], config: RadarConfig = DEFAULT_RADAR_CONFIG): number[] {
  const detector = new RadarDetector(config);
  return points.map((p) => detector.update(parseNabTimestamp(p.timestamp), p.value));
}

/** Parses a NAB CSV (`timestamp,value` header, no quoting) into points. */
export function parseNabCsv(text: string): NabPoint[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').toLowerCase().split(',').map((h) => h.trim());
  const tcol = header.indexOf('timestamp');
  const vcol = header.indexOf('value');
  if (tcol < 0 || vcol < 0) throw new Error('a NAB file needs a "timestamp,value" header');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return { timestamp: (cells[tcol] ?? '').trim(), value: Number(cells[vcol]) };
  });
}

/** Formats the output CSV: `timestamp,value,anomaly_score`. */
export function formatNabResults(points: readonly NabPoint[], scores: readonly number[]): string {
  const rows = points.map((p, i) => `${p.timestamp},${p.value},${(scores[i] ?? 0).toFixed(6)}`);
  return ['timestamp,value,anomaly_score', ...rows].join('\n') + '\n';
}
