/** One source: its settings (editable), run history with errors, and dead-lettered items (dead-letters.tsx). */
import { useState } from 'react';
import { api, type Source, type SourceEvent } from '../api.ts';
import { useAsync, useInterval } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { useWorkspace } from '../workspace.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { DeadLetters } from './dead-letters.tsx';
import { SourceForm } from './source-form.tsx';
import { sourceState } from './source-state.ts';

export function SourceDetail({ source, onClose }: { source: Source; onClose(): void }) {
  const { t, dateTime } = useI18n();
  const ws = useWorkspace();
  const [editing, setEditing] = useState(false);
  if (editing) return <SourceForm source={source} onDone={() => { setEditing(false); ws.refresh(); }} onCancel={() => setEditing(false)} />;
  const state = sourceState(source);
  return (
    <aside className="detail" aria-labelledby="source-title" data-testid="source-detail">
      <div className="detail-head">
        <h2 id="source-title">{source.name}</h2>
        <button type="button" onClick={onClose} aria-label={t('action.close')}>✕</button>
      </div>
      <p><span className={`badge status-${state}`}>{t(`status.${state}`)}</span> <span className="muted">{source.kind}</span></p>
      {source.lastError && <p className="error-text" role="alert">{t('sources.lastError')}: {source.lastError}</p>}
      <dl className="facts">
        <div><dt>{t('sources.lastFetch')}</dt><dd>{source.lastFetchAt ? dateTime(source.lastFetchAt) : t('sources.never')}</dd></div>
        <div><dt>{t('sources.lastSuccess')}</dt><dd>{source.lastSuccessAt ? dateTime(source.lastSuccessAt) : t('sources.never')}</dd></div>
        <div><dt>{t('sources.failures')}</dt><dd>{source.consecutiveFailures}</dd></div>
        {source.enabled && source.kind !== 'webhook' && <div><dt>{t('sources.nextFetch')}</dt><dd>{dateTime(source.nextFetchAt)}</dd></div>}
        {source.kind === 'webhook' && <div><dt>{t('sources.webhookUrl')}</dt><dd><code>{`${window.location.origin}/api/ingest/webhook/${source.id}`}</code></dd></div>}
      </dl>
      <button type="button" onClick={() => setEditing(true)}>{t('action.edit')}</button>
      <Events source={source} />
      <DeadLetters source={source} />
    </aside>
  );
}

function Events({ source }: { source: Source }) {
  const { t, dateTime } = useI18n();
  const ws = useWorkspace();
  const ev = useAsync((s) => api.get<{ items: SourceEvent[] }>(`/workspaces/${ws.id}/sources/${source.id}/events`, { limit: 30 }, s), [ws.id, source.id]);
  useInterval(ev.reload, 5_000);
  return (
    <section aria-labelledby="events-title">
      <h3 id="events-title">{t('sources.history')}</h3>
      {ev.error && <ErrorNotice error={ev.error} onRetry={ev.reload} />}
      {!ev.data && !ev.error && <Loading />}
      {ev.data && !ev.data.items.length && <p className="muted">{t('sources.noHistory')}</p>}
      <ol className="events" data-testid="source-events">
        {ev.data?.items.map((e) => (
          <li key={e.id} className={`event event-${e.level}`}><time>{dateTime(e.at)}</time> <span>{e.message}</span></li>
        ))}
      </ol>
    </section>
  );
}
