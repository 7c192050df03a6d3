/** One alert: the sentence, observed vs expected, what drives it, who is loudest, and the mentions behind it. */
import { useState } from 'react';
import { useAsync } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages/en.ts';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { ExternalLink, SentimentBadge } from '../components/mention-text.tsx';
import { radarApi, type AlertDetail } from './radar-data.ts';

export function RadarAlert({ ws, id, onClose, onChanged }: { ws: number; id: number; onClose(): void; onChanged(): void }) {
  const { t, dateTime, number } = useI18n();
  const detail = useAsync((s) => radarApi.alert(ws, id, s), [ws, id]);
  const [busy, setBusy] = useState<Error | null | 'busy'>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setBusy('busy');
    try {
      await fn();
      setBusy(null);
      detail.reload();
      onChanged();
    } catch (err) {
      setBusy(err as Error);
    }
  };
  if (detail.error) return <aside className="card detail-pane"><ErrorNotice error={detail.error} onRetry={detail.reload} /></aside>;
  if (!detail.data) return <aside className="card detail-pane"><Loading /></aside>;
  const { alert, mentions, deliveries }: AlertDetail = detail.data;
  const e = alert.explanation;
  return (
    <aside className="card detail-pane" aria-labelledby="alert-title" data-testid="alert-detail">
      <div className="page-head">
        <h2 id="alert-title">{alert.title}</h2>
        <span className={`badge severity-${alert.severity}`}>{t(`radar.severity.${alert.severity}` as MessageKey)}</span>
        <span className="badge">{t(`radar.status.${alert.status}` as MessageKey)}</span>
        <span className="spacer" />
        <button type="button" onClick={onClose}>{t('radar.closeDetail')}</button>
      </div>
      <p className="alert-summary" data-testid="alert-summary">{e.summary}</p>
      <dl className="facts">
        <dt>{t('radar.observed')}</dt><dd>{number(e.observed)}{e.expected !== null && ` / ${t('radar.expected')} ${number(e.expected)}`} <span className="muted small">({e.unit})</span></dd>
        <dt>{t('radar.since')}</dt><dd>{dateTime(e.since)}</dd>
        <dt>{t('radar.updates')}</dt><dd>{number(alert.updates)}</dd>
      </dl>
      <div className="inline-form">
        <button type="button" className="primary" disabled={alert.status !== 'open' || busy === 'busy'} onClick={() => act(() => radarApi.acknowledge(ws, id))}>{t('radar.acknowledge')}</button>
        <button type="button" disabled={alert.status === 'resolved' || busy === 'busy'} onClick={() => act(() => radarApi.resolve(ws, id))}>{t('radar.resolve')}</button>
      </div>
      {busy instanceof Error && <ErrorNotice error={busy} />}
      {e.topTerms.length > 0 && (<><h3>{t('radar.topTerms')}</h3><ul className="chips">{e.topTerms.map((x) => <li key={x.term} className="chip">{x.term} · {number(x.count)}</li>)}</ul></>)}
      {e.topTopics.length > 0 && (<><h3>{t('radar.topTopics')}</h3><ul className="chips">{e.topTopics.map((x) => <li key={x.topic} className="chip">{x.topic} · {number(x.count)}</li>)}</ul></>)}
      {e.topAuthors.length > 0 && (<><h3>{t('radar.topAuthors')}</h3><ul className="plain">{e.topAuthors.map((a) => <li key={a.handle}>@{a.handle} <span className="muted small">{t('radar.followers', { n: number(a.followers) })}</span></li>)}</ul></>)}
      {e.representative.length > 0 && (<><h3>{t('radar.representative')}</h3>
        <ul className="plain quotes">{e.representative.map((r) => <li key={r.id}><blockquote><ExternalLink url={r.url}>{r.text}</ExternalLink></blockquote><span className="muted small">{r.author && `@${r.author} · `}{dateTime(r.publishedAt)}</span></li>)}</ul></>)}
      <h3>{t('radar.mentionsBehind', { n: number(mentions.length) })}</h3>
      <ul className="plain alert-mentions" data-testid="alert-mentions">
        {mentions.map((m) => <li key={m.id}><span className="mention-text">{m.text}</span> <SentimentBadge label={m.sentiment} /> <span className="muted small">{m.handle && `@${m.handle} · `}{dateTime(m.publishedAt)}</span></li>)}
      </ul>
      {deliveries.length > 0 && (<><h3>{t('radar.deliveries')}</h3><ul className="plain">{deliveries.map((d) => <li key={d.id} className="small">{d.event} · {d.status} · {d.attempts}</li>)}</ul></>)}
    </aside>
  );
}
