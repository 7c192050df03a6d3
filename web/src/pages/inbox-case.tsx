/** One case: status, assignee, tags, why this priority, the conversation with replies and their delivery, notes and the composer. */
import { useState, type FormEvent } from 'react';
import { useAsync } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { href, Link } from '../router.tsx';
import { useWorkspace } from '../workspace.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { MentionText } from '../components/mention-text.tsx';
import { inboxApi, type CaseReply, type CaseStatus, type CaseView, type User } from './inbox-api.ts';
import { useInboxText } from './inbox-messages.ts';
import { SlaBadge } from './inbox.tsx';

const STATUSES: CaseStatus[] = ['open', 'pending_customer', 'resolved', 'closed'];

export function CasePanel({ caseId, onChanged, closeTo }: { caseId: number; onChanged(): void; closeTo: string }) {
  const tx = useInboxText();
  const ws = useWorkspace();
  const view = useAsync((s) => inboxApi.case(ws.id, caseId, s), [ws.id, caseId]);
  const me = useAsync((s) => inboxApi.me(s), []);
  const users = useAsync((s) => inboxApi.users(s), []);
  const [error, setError] = useState<Error | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err as Error);
    }
    view.reload();
    onChanged();
  };
  if (view.error) return <aside className="detail"><ErrorNotice error={view.error} onRetry={view.reload} /></aside>;
  if (!view.data) return <aside className="detail"><Loading /></aside>;
  const c = view.data;
  const canWork = !me.data?.user || me.data.user.role !== 'viewer';
  return (
    <aside className="detail" aria-labelledby="case-title" data-testid="case-panel">
      <div className="detail-head">
        <h2 id="case-title">#{c.id} {c.subject}</h2>
        <Link to={closeTo} className="button">{tx('case.close')}</Link>
      </div>
      {error && <ErrorNotice error={error} />}
      <CaseControls c={c} users={users.data?.items ?? []} disabled={!canWork} act={act} />
      <details><summary>{tx('case.why')}: {Math.round(c.priority)}{c.escalated ? ` · ${tx('case.escalated')}` : ''}</summary>
        <ul className="events">{c.priorityFactors.map((f) => <li key={f.name}>{f.name} × {f.value}: {f.because}</li>)}</ul>
      </details>
      <p>{c.sla.map((k) => <span key={k.objective}><SlaBadge clock={k} /> </span>)}</p>
      {c.personId && <p><Link to={href(`/w/${ws.id}/people`, { person: c.personId })}>{tx('case.person')} →</Link></p>}
      <Thread c={c} act={act} canWork={canWork} />
      <Composer c={c} disabled={!canWork} act={act} />
      <Notes c={c} disabled={!canWork} act={act} />
      <Activity c={c} />
    </aside>
  );
}

function CaseControls({ c, users, disabled, act }: { c: CaseView; users: User[]; disabled: boolean; act(fn: () => Promise<unknown>): void }) {
  const tx = useInboxText();
  const ws = useWorkspace();
  const [tags, setTags] = useState(c.tags.join(', '));
  return (
    <div className="facts">
      <label className="field">{tx('case.status')}
        <select value={c.status} disabled={disabled} onChange={(e) => act(() => inboxApi.change(ws.id, c.id, { status: e.target.value as CaseStatus }))}>
          {STATUSES.map((s) => <option key={s} value={s}>{tx(`status.${s}`)}</option>)}
        </select>
      </label>
      <label className="field">{tx('case.assignee')}
        <select value={c.assigneeId ?? ''} disabled={disabled} onChange={(e) => act(() => inboxApi.change(ws.id, c.id, { assigneeId: e.target.value === '' ? null : e.target.value === 'rr' ? 'round-robin' : Number(e.target.value) }))}>
          <option value="">{tx('case.nobody')}</option>
          <option value="rr">{tx('case.roundRobin')}</option>
          {users.filter((u) => u.role !== 'viewer').map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
        </select>
      </label>
      <form onSubmit={(e) => { e.preventDefault(); act(() => inboxApi.change(ws.id, c.id, { tags: tags.split(',').map((t) => t.trim()).filter(Boolean) })); }}>
        <label className="field">{tx('case.tags')}<input value={tags} disabled={disabled} onChange={(e) => setTags(e.target.value)} /></label>
      </form>
    </div>
  );
}

function Thread({ c, act, canWork }: { c: CaseView; act(fn: () => Promise<unknown>): void; canWork: boolean }) {
  const tx = useInboxText();
  const ws = useWorkspace();
  const { dateTime } = useI18n();
  const items = [
    ...c.mentions.map((m) => ({ at: m.publishedAt, key: `m${m.id}`, node: <div className="thread-item card"><div className="muted small">{m.author?.name ?? m.author?.handle} · {m.channel} · {dateTime(m.publishedAt)}</div><MentionText mention={m} /></div> })),
    ...c.replies.map((r) => ({ at: r.sentAt ?? r.createdAt, key: `r${r.id}`, node: <ReplyItem r={r} retry={canWork ? () => act(() => inboxApi.retry(ws.id, c.id, r.id)) : undefined} /> })),
  ].sort((a, b) => a.at - b.at);
  return (
    <section aria-label={tx('case.thread')}>
      <h3>{tx('case.thread')}</h3>
      {items.map((i) => <div key={i.key}>{i.node}</div>)}
    </section>
  );
}

function ReplyItem({ r, retry }: { r: CaseReply; retry?: () => void }) {
  const tx = useInboxText();
  const { dateTime } = useI18n();
  const label = r.status === 'failed' ? tx('reply.failed') : r.status === 'sent' ? tx('reply.sent') : r.status === 'recorded' ? tx('reply.recorded') : tx('reply.queued');
  return (
    <div className="thread-item card" data-testid="reply" data-status={r.status} style={{ marginLeft: '2rem' }}>
      <div className="small"><span className={r.status === 'failed' ? 'error-text' : 'ok'}>{label}</span> · {dateTime(r.sentAt ?? r.createdAt)}</div>
      <span className="mention-text">{r.text}</span>
      {r.status === 'failed' && <p className="small error-text">{r.lastError}</p>}
      {r.status === 'failed' && retry && <button type="button" onClick={retry}>{tx('reply.retry')}</button>}
    </div>
  );
}

function Composer({ c, disabled, act }: { c: CaseView; disabled: boolean; act(fn: () => Promise<unknown>): void }) {
  const tx = useInboxText();
  const ws = useWorkspace();
  const [text, setText] = useState('');
  const templates = useAsync((s) => inboxApi.templates(ws.id, s), [ws.id]);
  if (disabled) return <p className="muted" data-testid="composer-disabled">{tx('reply.viewer')}</p>;
  // The text is cleared only after the server stored the reply; a failed send keeps it on the case anyway.
  const send = (setStatus?: CaseStatus) => act(async () => {
    await inboxApi.reply(ws.id, c.id, text, setStatus);
    setText('');
  });
  const submit = (e: FormEvent) => { e.preventDefault(); send(); };
  return (
    <form className="form" onSubmit={submit} aria-label={tx('reply.send')}>
      {(templates.data?.items.length ?? 0) > 0 && (
        <select aria-label={tx('reply.template')} value="" onChange={(e) => { const id = Number(e.target.value); if (id) void inboxApi.render(ws.id, c.id, id).then((r) => setText(r.text)); }}>
          <option value="">{tx('reply.template')}</option>
          {templates.data!.items.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        </select>
      )}
      <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder={tx('reply.placeholder')} aria-label={tx('reply.placeholder')} required />
      <div className="actions">
        <button type="submit" className="primary" disabled={!text.trim()}>{tx('reply.send')}</button>
        <button type="button" disabled={!text.trim()} onClick={() => send('pending_customer')}>{tx('reply.sendPending')}</button>
      </div>
    </form>
  );
}

function Notes({ c, disabled, act }: { c: CaseView; disabled: boolean; act(fn: () => Promise<unknown>): void }) {
  const tx = useInboxText();
  const ws = useWorkspace();
  const { dateTime } = useI18n();
  const [text, setText] = useState('');
  return (
    <section aria-label={tx('case.notes')}>
      <h3>{tx('case.notes')}</h3>
      <ul className="events">{c.notes.map((n) => <li key={n.id}><span className="muted">{dateTime(n.createdAt)}</span> {n.text}</li>)}</ul>
      {!disabled && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); act(async () => { await inboxApi.note(ws.id, c.id, text); setText(''); }); }}>
          <input value={text} onChange={(e) => setText(e.target.value)} aria-label={tx('case.addNote')} required />
          <button type="submit">{tx('case.addNote')}</button>
        </form>
      )}
    </section>
  );
}

/** What happened to the case: opened, assigned, status changes, SLA warnings and breaches, escalation, delivery failures. */
function Activity({ c }: { c: CaseView }) {
  const tx = useInboxText();
  const { dateTime } = useI18n();
  return (
    <details>
      <summary>{tx('case.activity')} ({c.events.length})</summary>
      <ul className="events" data-testid="case-events">
        {c.events.map((e) => <li key={e.id} className={e.kind.startsWith('sla_') || e.kind === 'escalated' || e.kind === 'reply_failed' ? 'error-text' : undefined}><span className="muted">{dateTime(e.at)}</span> {e.kind.replace(/_/g, ' ')}{e.detail?.objective ? ` · ${String(e.detail.objective).replace(/_/g, ' ')}` : ''}{e.detail?.to ? ` → ${tx(`status.${e.detail.to as CaseStatus}`)}` : ''}</li>)}
      </ul>
      {c.notices.length > 0 && <h4>{tx('notices.told')}</h4>}
      <ul className="events" data-testid="case-notices">
        {c.notices.map((n) => (
          <li key={n.id} className={n.status === 'failed' ? 'error-text' : undefined}>
            <span className="muted">{dateTime(n.createdAt)}</span> {tx(`sla.${n.objective}`)} · {n.kind === 'sla_breached' ? tx('notices.breach') : tx('notices.warning')} → {n.target ?? (n.userId !== null ? `#${n.userId}` : '')} ({tx(`notices.via.${n.delivery}`)}, {tx(`notices.because.${n.detail.because}`)}){n.status === 'failed' ? ` · ${n.lastError ?? ''}` : n.status === 'pending' ? ` · ${tx('reply.queued')}` : ''}
          </li>
        ))}
      </ul>
    </details>
  );
}
