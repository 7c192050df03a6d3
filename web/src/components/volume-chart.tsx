/**
 * Mentions over time, one line per series (brand), drawn with uPlot in the browser's time zone. Dragging
 * across the chart selects a range and calls `onZoom` (the page reloads finer buckets for it).
 */
import { useEffect, useRef, type RefObject } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export const PALETTE = ['#2458c6', '#c2410c', '#0f766e', '#7c3aed', '#b91c1c', '#4d7c0f', '#a16207', '#be185d', '#0369a1', '#57534e'];

export interface VolumeChartProps {
  /** Bucket starts, epoch ms. */
  xs: number[];
  series: ChartSeries[];
  height?: number;
  label: string;
  onZoom?(from: number, to: number): void;
  /** Time formatting in the UI language (uPlot's own is English only); `locale` rebuilds the chart when it changes. */
  time: { locale: string; label: string; tick(ms: number, stepMs: number): string; value(ms: number): string };
}

function options(p: VolumeChartProps, width: number, onZoom: RefObject<VolumeChartProps['onZoom']>): uPlot.Options {
  return {
    width,
    height: p.height ?? 260,
    ms: 1,
    cursor: { drag: { x: true, y: false, setScale: false } },
    scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      { stroke: '#475569', grid: { stroke: '#e2e8f0' }, values: (_u, splits, _axis, _space, step) => splits.map((v) => p.time.tick(v, step)) },
      { stroke: '#475569', grid: { stroke: '#e2e8f0' }, size: 50 },
    ],
    series: [{ label: p.time.label, value: (_u, v) => (v == null ? '–' : p.time.value(v)) }, ...p.series.map((s, i) => ({ label: s.label, stroke: PALETTE[i % PALETTE.length], width: 2, points: { show: false } }))],
    hooks: {
      setSelect: [(u: uPlot) => {
        if (u.select.width < 4) return;
        const from = u.posToVal(u.select.left, 'x');
        const to = u.posToVal(u.select.left + u.select.width, 'x');
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        onZoom.current?.(Math.floor(from), Math.ceil(to));
      }],
    },
  };
}

export function VolumeChart(p: VolumeChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const onZoom = useRef(p.onZoom);
  onZoom.current = p.onZoom;
  const shape = [p.time.locale, ...p.series.map((s) => s.label)].join('\u0000');
  useEffect(() => {
    if (!el.current) return;
    const u = new uPlot(options(p, el.current.clientWidth || 600, onZoom), [p.xs, ...p.series.map((s) => s.values)], el.current);
    plot.current = u;
    const ro = new ResizeObserver(() => el.current && u.setSize({ width: el.current.clientWidth, height: p.height ?? 260 }));
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuild only when the set of series changes; data changes go through setData below.
  }, [shape]);
  useEffect(() => {
    plot.current?.setData([p.xs, ...p.series.map((s) => s.values)]);
  }, [p.xs, p.series]);
  const total = p.series.reduce((sum, s) => sum + s.values.reduce<number>((a, v) => a + (v ?? 0), 0), 0);
  return <div className="chart" ref={el} role="img" aria-label={p.label} data-testid="volume-chart" data-total={total} />;
}
