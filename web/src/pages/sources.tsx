/** Sources: every connector with its status, last fetch and counters; add, edit, pause, fetch now. */
import { useState } from 'react';
import { api, type Source } from '../api.ts';
import { useInterval } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { useWorkspace } from '../workspace.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { SourceDetail } from './source-detail.tsx';
import { SourceForm } from './source-form.tsx';
import { sourceState } from './source-state.ts';

export function SourcesPage() {
  const { t } = useI18n();
  const ws = useWorkspace();
  const [selected, setSelected] = useState<number | 'new' | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  useInterval(ws.refresh, 5_000);
  const act = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
    } catch (err) {
      setActionError(err as Error);
    }
    ws.refresh();
  };
  const current = typeof selected === 'number' ? ws.sources.find((s) => s.id === selected) : undefined;
  return (
    <section aria-labelledby="sources-title">
      <div className="page-head">
        <h1 id="sources-title">{t('nav.sources')}</h1>
        <button type="button" className="primary" onClick={() => setSelected('new')}>{t('sources.add')}</button>
      </div>
      {actionError && <ErrorNotice error={actionError} />}
      <div className={selected ? 'split open' : 'split'}>
        <div className="list-pane static">
          {ws.error && <ErrorNotice error={ws.error} onRetry={ws.refresh} />}
          {!ws.loaded && !ws.error && <Loading />}
          {ws.loaded && !ws.sources.length && <Empty title={t('sources.empty')} hint={t('sources.emptyHint')} />}
          {ws.sources.length > 0 && <SourceTable sources={ws.sources} selected={current?.id} onSelect={setSelected} act={act} />}
        </div>
        {selected === 'new' && <SourceForm source={null} onDone={(id) => { ws.refresh(); setSelected(id); }} onCancel={() => setSelected(null)} />}
        {current && <SourceDetail key={current.id} source={current} onClose={() => setSelected(null)} />}
      </div>
    </section>
  );
}

function SourceTable({ sources, selected, onSelect, act }: { sources: Source[]; selected?: number; onSelect(id: number): void; act(fn: () => Promise<unknown>): void }) {
  const { t, number, relative, dateTime } = useI18n();
  const ws = useWorkspace();
  const base = `/workspaces/${ws.id}/sources`;
  return (
    <table className="table" data-testid="sources-table">
      <thead>
        <tr><th>{t('sources.name')}</th><th>{t('sources.status')}</th><th>{t('sources.lastFetch')}</th><th className="num">{t('sources.stored')}</th><th className="num">{t('sources.failed')}</th><th>{t('sources.actions')}</th></tr>
      </thead>
      <tbody>
        {sources.map((s) => {
          const state = sourceState(s);
          return (
            <tr key={s.id} className={s.id === selected ? 'selected' : undefined} data-testid="source-row" data-id={s.id}>
              <td><button type="button" className="linkish" onClick={() => onSelect(s.id)}>{s.name}</button><div className="muted small">{s.kind}</div></td>
              <td>
                <span className={`badge status-${state}`}>{t(`status.${state}`)}</span>
                {s.lastError && <div className="error-text small" data-testid="source-error">{s.lastError}</div>}
              </td>
              <td>{s.lastFetchAt ? <time title={dateTime(s.lastFetchAt)}>{relative(s.lastFetchAt)}</time> : t('sources.never')}</td>
              <td className="num">{number(s.itemsStored)}<div className="muted small">{t('sources.filteredN', { n: number(s.itemsFiltered) })}</div></td>
              <td className="num">{number(s.itemsFailed)}{(s.pendingDeadLetters ?? 0) > 0 && <div className="error-text small">{t('sources.pendingN', { n: number(s.pendingDeadLetters ?? 0) })}</div>}</td>
              <td className="row-actions">
                <button type="button" onClick={() => act(() => api.patch(`${base}/${s.id}`, { enabled: !s.enabled }))}>{s.enabled ? t('sources.pause') : t('sources.resume')}</button>
                {s.enabled && s.kind !== 'webhook' && <button type="button" onClick={() => act(() => api.post(`${base}/${s.id}/fetch`))}>{t('sources.fetchNow')}</button>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
