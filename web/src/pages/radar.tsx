/**
 * Radar: a brand stream with its expected band and alert markers, the alert list, and an alert's detail.
 * The URL holds the selection (`?stream=…&alert=…&status=…&range=…`), so an alert link can be shared;
 * `?view=settings` shows the alert rules and notification channels instead (radar-settings.tsx).
 */
import { useMemo } from 'react';
import { useAsync, useInterval } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages/en.ts';
import { href, Link, navigate, useLocation } from '../router.tsx';
import { useWorkspace } from '../workspace.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { RadarChart } from './radar-chart.tsx';
import { RadarAlert } from './radar-alert.tsx';
import { RadarSettings } from './radar-settings.tsx';
import { radarApi, type RadarStream } from './radar-data.ts';

const RANGES = { '1d': 86_400_000, '7d': 7 * 86_400_000 } as const;
type Range = keyof typeof RANGES;

export function RadarPage() {
  const { query } = useLocation();
  return query.get('view') === 'settings' ? <RadarSettings /> : <RadarOverview />;
}

function RadarOverview() {
  const { t } = useI18n();
  const ws = useWorkspace();
  const { path, query } = useLocation();
  const status = query.get('status') ?? 'open';
  const range: Range = query.get('range') === '7d' ? '7d' : '1d';
  const alertId = Number(query.get('alert')) || null;
  const set = (patch: Record<string, string | number | null>) => navigate(href(path, { ...Object.fromEntries(query), ...patch }), true);
  const streams = useAsync((s) => radarApi.streams(ws.id, s), [ws.id]);
  const alerts = useAsync((s) => radarApi.alerts(ws.id, status === 'all' ? '' : status, s), [ws.id, status]);
  useInterval(() => { streams.reload(); alerts.reload(); }, 30_000);
  const items = streams.data?.items ?? [];
  const stream = items.find((s) => s.id === Number(query.get('stream'))) ?? items.find((s) => s.kind === 'volume') ?? items[0];
  const name = (s: RadarStream) => t(`radar.kind.${s.kind}` as MessageKey, { brand: ws.brandName(s.brandId), topic: s.topic });
  return (
    <section aria-labelledby="radar-title">
      <div className="page-head">
        <h1 id="radar-title">{t('nav.radar')}</h1>
        {items.length > 0 && stream && (
          <label>{t('radar.stream')}{' '}
            <select value={stream.id} onChange={(e) => set({ stream: e.target.value })}>
              {items.map((s) => <option key={s.id} value={s.id}>{name(s)}</option>)}
            </select>
          </label>
        )}
        <label>{t('radar.range')}{' '}
          <select value={range} onChange={(e) => set({ range: e.target.value })}>
            {(Object.keys(RANGES) as Range[]).map((r) => <option key={r} value={r}>{t(`radar.range.${r}`)}</option>)}
          </select>
        </label>
        <span className="spacer" />
        <Link to={href(path, { view: 'settings' })}>{t('radar.settings')}</Link>
      </div>
      <p className="muted">{t('radar.intro')}</p>
      {streams.error && <ErrorNotice error={streams.error} onRetry={streams.reload} />}
      {!streams.data && !streams.error && <Loading />}
      {streams.data && !items.length && <Empty title={t('radar.noStreams')} hint={t('radar.noStreamsHint')} />}
      {stream && <StreamPanel ws={ws.id} stream={stream} name={name(stream)} rangeMs={RANGES[range]} onAlert={(id) => set({ alert: id })} />}
      <div className={alertId ? 'split open' : 'split'}>
        <div className="list-pane static">
          <div className="page-head">
            <h2>{t('radar.alerts')}</h2>
            <label>{t('radar.status')}{' '}
              <select value={status} onChange={(e) => set({ status: e.target.value, alert: null })}>
                {['open', 'acknowledged', 'resolved', 'all'].map((s) => <option key={s} value={s}>{t(`radar.status.${s}` as MessageKey)}</option>)}
              </select>
            </label>
          </div>
          {alerts.error && <ErrorNotice error={alerts.error} onRetry={alerts.reload} />}
          {alerts.data && !alerts.data.items.length && <Empty title={t('radar.noAlerts')} hint={t('radar.noAlertsHint')} />}
          <ul className="cards" aria-label={t('radar.alerts')} data-testid="alert-list">
            {(alerts.data?.items ?? []).map((a) => (
              <li key={a.id}>
                <button type="button" className={a.id === alertId ? 'brand-card selected' : 'brand-card'} onClick={() => set({ alert: a.id })} aria-label={t('radar.openAlert', { title: a.title })}>
                  <span className="brand-name">{a.title} <span className={`badge severity-${a.severity}`}>{t(`radar.severity.${a.severity}` as MessageKey)}</span></span>
                  <span className="muted small">{t(`radar.rule.${a.rule}` as MessageKey)} · {t(`radar.status.${a.status}` as MessageKey)}</span>
                  <span className="small">{a.explanation.summary}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
        {alertId && <RadarAlert key={alertId} ws={ws.id} id={alertId} onClose={() => set({ alert: null })} onChanged={alerts.reload} />}
      </div>
    </section>
  );
}

function StreamPanel({ ws, stream, name, rangeMs, onAlert }: { ws: number; stream: RadarStream; name: string; rangeMs: number; onAlert(id: number): void }) {
  const { t } = useI18n();
  const to = useMemo(() => Math.ceil(Date.now() / 300_000) * 300_000 + 300_000, [stream.id, rangeMs, stream.updatedAt]);
  const series = useAsync((s) => radarApi.series(ws, stream.id, to - rangeMs, to, s), [ws, stream.id, to, rangeMs]);
  return (
    <div className="card wide">
      <h2>{name}</h2>
      {stream.learned < 288 && <p className="muted small">{t('radar.learning', { n: stream.learned })}</p>}
      {series.error && <ErrorNotice error={series.error} onRetry={series.reload} />}
      {!series.data && !series.error && <Loading />}
      {series.data && (
        <RadarChart
          points={series.data.points}
          alerts={series.data.alerts}
          bucketMs={series.data.bucketMs}
          label={t('radar.chartLabel', { stream: name, n: series.data.alerts.length })}
          names={{ count: t('radar.count'), expected: t('radar.expected'), band: t('radar.band') }}
          onAlert={onAlert}
        />
      )}
    </div>
  );
}
