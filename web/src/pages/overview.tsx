/**
 * Overview: volume per brand over time (zoom by dragging), share of voice, sentiment, languages, sources and
 * top authors for a time range. Every number links to the mention list it summarizes.
 */
import { useMemo } from 'react';
import { isWebUrl } from '../api.ts';
import { useAsync, useInterval } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { href, Link, navigate, useLocation } from '../router.tsx';
import { useWorkspace } from '../workspace.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { ExternalLink } from '../components/mention-text.tsx';
import { ShareBars, type ShareRow } from '../components/share-bars.tsx';
import { VolumeChart } from '../components/volume-chart.tsx';
import { brandSeries, loadOverview, RANGES, type OverviewData, type RangeId } from './overview-data.ts';

function useOverviewFilter() {
  const { query } = useLocation();
  const range = (query.get('range') ?? '24h') as RangeId;
  const zoomed = query.has('from') && query.has('to');
  const brand = query.get('brand') ? Number(query.get('brand')) : undefined;
  return { range: range in RANGES ? range : '24h', zoomed, brand, fromQ: Number(query.get('from')), toQ: Number(query.get('to')) };
}

export function OverviewPage() {
  const { t } = useI18n();
  const ws = useWorkspace();
  const f = useOverviewFilter();
  const { path } = useLocation();
  // Live ranges end "now" (rounded to a minute so reloads share a cache line); zoomed ones are fixed.
  const now = Math.ceil(Date.now() / 60_000) * 60_000;
  const to = f.zoomed ? f.toQ : now;
  const from = f.zoomed ? f.fromQ : to - RANGES[f.range];
  const data = useAsync((s) => loadOverview(ws.id, { from, to, brand: f.brand }, s), [ws.id, from, to, f.brand]);
  useInterval(() => !f.zoomed && data.reload(), 30_000);
  const set = (p: Record<string, string | number | undefined>) => navigate(href(path, { range: f.range, brand: f.brand, ...(f.zoomed ? { from, to } : {}), ...p }), true);
  return (
    <section aria-labelledby="overview-title">
      <div className="page-head">
        <h1 id="overview-title">{t('nav.overview')}</h1>
        <div className="toolbar" role="group" aria-label={t('overview.range')}>
          {(Object.keys(RANGES) as RangeId[]).map((r) => (
            <button key={r} type="button" aria-pressed={!f.zoomed && f.range === r} onClick={() => set({ range: r, from: undefined, to: undefined })}>{t(`range.${r}`)}</button>
          ))}
          {f.zoomed && <button type="button" onClick={() => set({ from: undefined, to: undefined })}>{t('overview.resetZoom')}</button>}
          <label>
            <span className="sr-only">{t('filter.brand')}</span>
            <select value={f.brand ?? ''} onChange={(e) => set({ brand: e.target.value || undefined })} aria-label={t('filter.brand')}>
              <option value="">{t('filter.allBrands')}</option>
              {ws.brands.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
            </select>
          </label>
        </div>
      </div>
      {data.error && <ErrorNotice error={data.error} onRetry={data.reload} />}
      {!data.data && !data.error && <Loading />}
      {data.data && <OverviewBody d={data.data} from={from} to={to} brand={f.brand} onZoom={(a, b) => set({ from: a, to: b })} />}
    </section>
  );
}

function OverviewBody({ d, from, to, brand, onZoom }: { d: OverviewData; from: number; to: number; brand?: number; onZoom(a: number, b: number): void }) {
  const { t, number, dateTime, time, day, locale } = useI18n();
  const ws = useWorkspace();
  // Ticks show the time of day, and the date where a day starts (or everywhere when ticks are days apart).
  const chartTime = useMemo(() => ({
    locale, label: t('overview.time'), value: dateTime,
    tick: (ms: number, step: number) => (step >= 86_400_000 || new Date(ms).getHours() + new Date(ms).getMinutes() === 0 ? day(ms) : time(ms)),
  }), [locale, t, dateTime, time, day]);
  const list = (p: Record<string, string | number | undefined>) => href(`/w/${ws.id}/mentions`, { from, to, brand, ...p });
  const series = useMemo(() => brandSeries(d, 8).map((s) => ({ label: ws.brandName(s.brandId), values: s.values })), [d, ws]);
  const total = [...d.totals.brand.values()].reduce((a, b) => a + b, 0);
  if (!total && !ws.sources.length) {
    return <Empty title={t('overview.emptyNoSources')} hint={t('overview.emptyNoSourcesHint')}><Link to={`/w/${ws.id}/sources`} className="button primary">{t('sources.add')}</Link></Empty>;
  }
  const rows = (g: 'brand' | 'sentiment' | 'lang' | 'source', label: (k: string) => string, param: string, max = 8): ShareRow[] =>
    [...d.totals[g]].slice(0, max).map(([k, n]) => ({ key: k, n, label: label(k), to: list({ [param]: k === '' ? 'none' : k }), highlight: g === 'brand' && ws.brands.find((b) => String(b.id) === k)?.kind === 'own' }));
  const sentimentLabel = (k: string) => (k === 'negative' || k === 'neutral' || k === 'positive' ? t(`sentiment.${k}`) : t('sentiment.none'));
  return (
    <>
      <p className="muted range-note">{t('overview.rangeNote', { from: dateTime(from), to: dateTime(to), bucket: t(`bucket.${d.bucket}`) })}</p>
      <div className="kpis">
        <Link className="kpi" to={list({})} data-testid="kpi-total"><span className="kpi-n">{number(total)}</span><span>{t('overview.brandMentions')}</span></Link>
        <Link className="kpi" to={list({ sentiment: 'negative' })}><span className="kpi-n">{number(d.totals.sentiment.get('negative') ?? 0)}</span><span>{t('sentiment.negative')}</span></Link>
        <div className="kpi"><span className="kpi-n">{number(d.totals.source.size)}</span><span>{t('overview.activeSources')}</span></div>
      </div>
      <div className="card wide">
        <h2>{t('overview.volume')}</h2>
        {total ? <VolumeChart xs={d.xs} series={series} label={t('overview.volumeLabel', { n: total })} onZoom={onZoom} time={chartTime} /> : <Empty title={t('overview.noMentionsInRange')} hint={t('overview.noMentionsInRangeHint')} />}
        <p className="muted small">{t('overview.zoomHint')}</p>
      </div>
      <div className="grid">
        <div className="card"><h2>{t('overview.shareOfVoice')}</h2><ShareBars label={t('overview.shareOfVoice')} colored rows={rows('brand', (k) => ws.brandName(Number(k)), 'brand', 10)} /></div>
        <div className="card"><h2>{t('overview.sentiment')}</h2><ShareBars label={t('overview.sentiment')} rows={rows('sentiment', sentimentLabel, 'sentiment')} />
          {d.totals.sentiment.size === 1 && d.totals.sentiment.has('') && <p className="muted small">{t('overview.sentimentPending')}</p>}</div>
        <div className="card"><h2>{t('overview.languages')}</h2><ShareBars label={t('overview.languages')} rows={rows('lang', (k) => languageName(k, t('lang.unknown')), 'lang')} /></div>
        <div className="card"><h2>{t('overview.topSources')}</h2><ShareBars label={t('overview.topSources')} rows={rows('source', (k) => ws.sourceName(Number(k)), 'source')} /></div>
        <div className="card span2"><h2>{t('overview.topAuthors')}</h2><TopAuthors d={d} listOf={(authorId) => list({ author: authorId })} /></div>
      </div>
      <p className="muted small">{t('overview.countingNote')}</p>
    </>
  );
}

function TopAuthors({ d, listOf }: { d: OverviewData; listOf: (authorId: number) => string }) {
  const { t, number } = useI18n();
  if (!d.authors.length) return <p className="muted">{t('overview.noData')}</p>;
  return (
    <table className="table compact">
      <thead><tr><th>{t('overview.author')}</th><th className="num">{t('overview.followers')}</th><th className="num">{t('overview.mentions')}</th><th className="num">{t('overview.engagement')}</th></tr></thead>
      <tbody>
        {d.authors.map((a) => (
          <tr key={a.authorId}>
            <td><ExternalLink url={isWebUrl(a.url) ? a.url : null}>{a.name ? `${a.name} ` : ''}@{a.handle}</ExternalLink> <span className="muted small">{a.channel}</span></td>
            <td className="num">{a.followers === null ? '–' : number(a.followers)}</td>
            <td className="num"><Link to={listOf(a.authorId)}>{number(a.mentions)}</Link></td>
            <td className="num">{number(a.engagement)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "de" → "German" in the UI language (falls back to the code). */
export function languageName(code: string, unknown: string): string {
  if (!code) return unknown;
  try {
    return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
