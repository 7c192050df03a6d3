/** One mention in full: author, metrics, brands, the thread around it and a link to the original. */
import { useEffect, useRef, useState } from 'react';
import { api, isWebUrl, type Mention, type MentionDetail } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { useWorkspace } from '../workspace.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { authorLabel, ExternalLink, MentionText, SentimentBadge, EXTERNAL_REL } from '../components/mention-text.tsx';
import { languageName } from './overview.tsx';

export function MentionDetailPanel({ id, onClose, onOpen }: { id: number; onClose(): void; onOpen(id: number): void }) {
  const { t } = useI18n();
  const ws = useWorkspace();
  const d = useAsync((s) => api.get<MentionDetail>(`/workspaces/${ws.id}/mentions/${id}`, {}, s), [ws.id, id]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id]);
  return (
    <aside className="detail" aria-labelledby="detail-title" onKeyDown={(e) => e.key === 'Escape' && onClose()} data-testid="mention-detail">
      <div className="detail-head">
        <h2 id="detail-title" tabIndex={-1} ref={heading}>{t('mention.detail')}</h2>
        <button type="button" onClick={onClose} aria-label={t('action.close')}>✕</button>
      </div>
      {d.error && <ErrorNotice error={d.error} onRetry={d.reload} />}
      {!d.data && !d.error && <Loading />}
      {d.data && d.data.id === id && <DetailBody m={d.data} onOpen={onOpen} onChanged={d.reload} />}
    </aside>
  );
}

function DetailBody({ m, onOpen, onChanged }: { m: MentionDetail; onOpen(id: number): void; onChanged(): void }) {
  const { t, dateTime, number } = useI18n();
  const ws = useWorkspace();
  const metric = (k: keyof Mention['metrics']) => (m.metrics[k] === null ? null : <div key={k}><dt>{t(`metric.${k}`)}</dt><dd>{number(m.metrics[k]!)}</dd></div>);
  return (
    <div className="detail-body">
      {m.parent && <ThreadItem m={m.parent} label={t('mention.inReplyTo')} onOpen={onOpen} />}
      <article className="detail-main">
        <p className="meta">
          <ExternalLink url={m.author?.url}>{authorLabel(m, t('mention.anonymous'))}</ExternalLink>
          {m.author?.followers != null && <span className="muted"> · {t('mention.followers', { n: number(m.author.followers) })}</span>}
        </p>
        <MentionText mention={m} />
        <dl className="facts">
          <div><dt>{t('mention.published')}</dt><dd><time dateTime={new Date(m.publishedAt).toISOString()}>{dateTime(m.publishedAt)}</time></dd></div>
          <div><dt>{t('mention.channel')}</dt><dd>{m.channel}</dd></div>
          <div><dt>{t('mention.source')}</dt><dd>{ws.sourceName(m.sourceId)}</dd></div>
          <div><dt>{t('mention.brands')}</dt><dd>{m.brandIds.map((b) => ws.brandName(b)).join(', ') || '–'}</dd></div>
          <div><dt>{t('mention.language')}</dt><dd>{m.lang ? languageName(m.lang, m.lang) : t('lang.unknown')}</dd></div>
          <div><dt>{t('mention.sentiment')}</dt><dd><SentimentCorrection m={m} onChanged={onChanged} /></dd></div>
          {m.topics.length > 0 && <div><dt>{t('mention.topics')}</dt><dd>{m.topics.join(', ')}</dd></div>}
          {m.duplicateCount > 0 && <div><dt>{t('mention.duplicates')}</dt><dd>{number(m.duplicateCount)}</dd></div>}
          {(['likes', 'shares', 'replies', 'views'] as const).map(metric)}
        </dl>
        {isWebUrl(m.url)
          ? <a className="button" href={m.url} target="_blank" rel={EXTERNAL_REL} referrerPolicy="no-referrer" data-testid="original-link">{t('mention.openOriginal')} ↗</a>
          : <p className="muted small">{t('mention.noOriginal')}</p>}
      </article>
      {m.replies.length > 0 && (
        <section aria-label={t('mention.replies')}>
          <h3>{t('mention.replies')} ({m.replies.length})</h3>
          {m.replies.map((r) => <ThreadItem key={r.id} m={r} onOpen={onOpen} />)}
        </section>
      )}
    </div>
  );
}

function ThreadItem({ m, label, onOpen }: { m: Mention; label?: string; onOpen(id: number): void }) {
  const { t, dateTime } = useI18n();
  return (
    <button type="button" className="thread-item" onClick={() => onOpen(m.id)}>
      {label && <span className="muted small">{label}</span>}
      <span className="meta">{authorLabel(m, t('mention.anonymous'))} · {dateTime(m.publishedAt)}</span>
      <MentionText mention={m} clamp />
    </button>
  );
}

const LABELS = ['negative', 'neutral', 'positive'] as const;

/**
 * The sentiment with an Edit button: an agent's correction is stored (POST …/correction), shown at once, and
 * learned by the workspace model at its next retraining (docs/models.md, "Corrections").
 */
function SentimentCorrection({ m, onChanged }: { m: MentionDetail; onChanged(): void }) {
  const { t } = useI18n();
  const ws = useWorkspace();
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState<string>(m.sentiment?.label ?? 'neutral');
  const [error, setError] = useState<Error | null>(null);
  const save = async () => {
    try {
      await api.post(`/workspaces/${ws.id}/mentions/${m.id}/correction`, { sentiment: label });
      setEditing(false);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  if (!editing) {
    return (
      <>
        {m.sentiment ? <SentimentBadge label={m.sentiment.label} /> : t('sentiment.none')}{' '}
        <button type="button" className="link small" onClick={() => setEditing(true)} data-testid="correct-sentiment">{t('action.edit')}</button>
      </>
    );
  }
  return (
    <span className="inline-form">
      <select value={label} onChange={(e) => setLabel(e.target.value)} aria-label={t('mention.sentiment')}>
        {LABELS.map((l) => <option key={l} value={l}>{t(`sentiment.${l}`)}</option>)}
      </select>{' '}
      <button type="button" onClick={() => void save()}>{t('action.save')}</button>{' '}
      <button type="button" onClick={() => setEditing(false)}>{t('action.cancel')}</button>
      {error && <ErrorNotice error={error} />}
    </span>
  );
}
