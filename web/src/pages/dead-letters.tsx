/**
 * Items of a source that could not be stored, with the reason. Each can be retried as it is, or corrected first
 * (the item is edited as JSON: a record its source could not read needs at least an externalId and a text),
 * or discarded.
 */
import { useState } from 'react';
import { api, type DeadLetter, type Source } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { useWorkspace } from '../workspace.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';

interface RetryResult { outcome: 'stored' | 'filtered' | 'already_stored' | 'failed'; error?: string }

export function DeadLetters({ source }: { source: Source }) {
  const { t } = useI18n();
  const ws = useWorkspace();
  const dl = useAsync((s) => api.get<{ items: DeadLetter[] }>(`/workspaces/${ws.id}/dead-letters`, { status: 'pending', sourceId: source.id }, s), [ws.id, source.id, source.pendingDeadLetters]);
  const done = () => { dl.reload(); ws.refresh(); };
  return (
    <section aria-labelledby="dl-title" data-testid="dead-letters">
      <h3 id="dl-title">{t('sources.deadLetters')}</h3>
      {dl.error && <ErrorNotice error={dl.error} onRetry={dl.reload} />}
      {!dl.data && !dl.error && <Loading />}
      {dl.data && !dl.data.items.length && <Empty title={t('sources.noDeadLetters')} />}
      <ul className="dead-letters">
        {dl.data?.items.map((d) => <DeadLetterItem key={d.id} d={d} onDone={done} />)}
      </ul>
    </section>
  );
}

function DeadLetterItem({ d, onDone }: { d: DeadLetter; onDone(): void }) {
  const { t, dateTime } = useI18n();
  const ws = useWorkspace();
  const original = JSON.stringify(d.payload, null, 2);
  const [draft, setDraft] = useState(original);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const retry = async () => {
    setError(null);
    try {
      const body = draft === original ? {} : { item: JSON.parse(draft) as unknown };
      const r = await api.post<RetryResult>(`/workspaces/${ws.id}/dead-letters/${d.id}/retry`, body);
      setResult(r.outcome === 'failed' ? t('sources.retryFailed', { error: r.error ?? '' }) : t(`sources.outcome.${r.outcome}`));
      if (r.outcome !== 'failed') onDone();
    } catch (err) {
      setError(err instanceof SyntaxError ? new Error(t('sources.notJson')) : (err as Error));
    }
  };
  const discard = () => api.post(`/workspaces/${ws.id}/dead-letters/${d.id}/discard`).then(onDone, setError);
  return (
    <li data-testid="dead-letter">
      <p><strong>{d.stage}</strong>: <span className="error-text">{d.error}</span></p>
      <p className="muted small">{dateTime(d.createdAt)} · {t('sources.attempts', { n: d.attempts })}{d.externalId ? ` · ${d.externalId}` : ''}</p>
      <label className="field">{t('sources.payload')}
        <textarea className="code" rows={Math.min(10, original.split('\n').length + 1)} value={draft} onChange={(e) => setDraft(e.target.value)} spellCheck={false} />
      </label>
      {result && <p role="status" className="small">{result}</p>}
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="button" onClick={retry}>{draft === original ? t('action.retry') : t('sources.retryCorrected')}</button>
        <button type="button" onClick={discard}>{t('sources.discard')}</button>
      </div>
    </li>
  );
}
