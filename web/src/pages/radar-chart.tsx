/**
 * A radar stream over time: mentions per 5 minutes, the expected value and the band the detector considers
 * normal (shaded between its low and high edge), and alert markers (a shaded span from an alert's start to
 * its last anomalous bucket, red for critical). Drawn with uPlot in the browser's time zone.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AlertMarker, RadarPoint } from './radar-data.ts';

export interface RadarChartProps {
  points: RadarPoint[];
  alerts: AlertMarker[];
  bucketMs: number;
  label: string;
  names: { count: string; expected: string; band: string };
  onAlert?(id: number): void;
}

const MARKER = { critical: 'rgba(185, 28, 28, 0.16)', warning: 'rgba(194, 65, 12, 0.14)', info: 'rgba(36, 88, 198, 0.12)' } as const;

function markers(alerts: AlertMarker[], bucketMs: number): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [(u: uPlot) => {
        const ctx = u.ctx;
        ctx.save();
        for (const a of alerts) {
          const x0 = u.valToPos(a.startedAt, 'x', true);
          const x1 = Math.max(x0 + 3, u.valToPos(a.lastSeenAt + bucketMs, 'x', true));
          ctx.fillStyle = MARKER[a.severity];
          ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
        }
        ctx.restore();
      }],
    },
  };
}

function options(p: RadarChartProps, width: number): uPlot.Options {
  return {
    width,
    height: 260,
    ms: 1,
    plugins: [markers(p.alerts, p.bucketMs)],
    scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [{ stroke: '#475569', grid: { stroke: '#e2e8f0' } }, { stroke: '#475569', grid: { stroke: '#e2e8f0' }, size: 50 }],
    series: [
      {},
      { label: p.names.band, stroke: 'rgba(15, 118, 110, 0.35)', width: 1, spanGaps: true, points: { show: false } },
      { label: `${p.names.band} ↑`, stroke: 'rgba(15, 118, 110, 0.35)', width: 1, dash: [4, 4], spanGaps: true, points: { show: false } },
      { label: p.names.expected, stroke: '#0f766e', width: 1.5, dash: [6, 3], spanGaps: true, points: { show: false } },
      { label: p.names.count, stroke: '#2458c6', width: 2, points: { show: false } },
    ],
    bands: [{ series: [2, 1], fill: 'rgba(15, 118, 110, 0.08)' }],
  };
}

/** Quiet buckets are not stored: fill them in as 0 mentions (no band: the band lines span the gap). */
function filled(points: RadarPoint[], bucketMs: number): RadarPoint[] {
  if (points.length < 2) return points;
  const by = new Map(points.map((p) => [p.bucket, p]));
  const out: RadarPoint[] = [];
  for (let b = points[0]!.bucket; b <= points[points.length - 1]!.bucket; b += bucketMs) {
    out.push(by.get(b) ?? { bucket: b, n: 0, score: 0, expected: null, lo: null, hi: null, closed: true });
  }
  return out;
}

function data(raw: RadarPoint[], bucketMs: number): uPlot.AlignedData {
  const points = filled(raw, bucketMs);
  return [points.map((p) => p.bucket), points.map((p) => p.lo), points.map((p) => p.hi), points.map((p) => p.expected), points.map((p) => p.n)];
}

export function RadarChart(p: RadarChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markerKey = p.alerts.map((a) => `${a.id}:${a.lastSeenAt}`).join(',');
  useEffect(() => {
    if (!el.current) return;
    const u = new uPlot(options(p, el.current.clientWidth || 600), data(p.points, p.bucketMs), el.current);
    plot.current = u;
    const ro = new ResizeObserver(() => el.current && u.setSize({ width: el.current.clientWidth, height: 260 }));
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Markers are drawn by a plugin built with the options: rebuild when they change; points go through setData.
  }, [markerKey, p.bucketMs]);
  useEffect(() => {
    plot.current?.setData(data(p.points, p.bucketMs));
  }, [p.points]);
  const total = p.points.reduce((s, x) => s + x.n, 0);
  return (
    <div>
      <div className="chart" ref={el} role="img" aria-label={p.label} data-testid="radar-chart" data-total={total} data-alerts={p.alerts.length} />
      {p.alerts.length > 0 && (
        <ul className="chips radar-markers" aria-label={p.names.count}>
          {p.alerts.map((a) => (
            <li key={a.id}><button type="button" className={`chip severity-${a.severity}`} onClick={() => p.onAlert?.(a.id)}>{a.title}</button></li>
          ))}
        </ul>
      )}
    </div>
  );
}
