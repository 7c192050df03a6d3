/** People: one customer across channels — identities (and why they are linked), verified handles, repeat-complainer flag, churn risk, cases and timeline; merge and split. */
import { useState } from 'react';
import { useAsync, useDebounced } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { href, Link, navigate, useLocation } from '../router.tsx';
import { useWorkspace } from '../workspace.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { MentionText } from '../components/mention-text.tsx';
import { inboxApi, type Person } from './inbox-api.ts';
import { useInboxText } from './inbox-messages.ts';

export function PeoplePage() {
  const tx = useInboxText();
  const ws = useWorkspace();
  const { path, query } = useLocation();
  const [q, setQ] = useState('');
  const search = useDebounced(q, 300);
  const list = useAsync((s) => inboxApi.people(ws.id, search, s), [ws.id, search]);
  const selected = Number(query.get('person')) || null;
  return (
    <section aria-labelledby="people-title">
      <div className="page-head">
        <h1 id="people-title">{tx('people.title')}</h1>
        <input className="toolbar" value={q} onChange={(e) => setQ(e.target.value)} placeholder={tx('people.search')} aria-label={tx('people.search')} />
      </div>
      <div className={selected ? 'split open' : 'split'}>
        <div className="list-pane static">
          {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
          {!list.data && !list.error && <Loading />}
          {list.data && !list.data.items.length && <Empty title={tx('people.empty')} />}
          <ul className="cards">{list.data?.items.map((p) => <li key={p.id}><Link to={href(path, { person: p.id })}>{p.displayName}</Link> <span className="muted small">#{p.id}</span></li>)}</ul>
        </div>
        {selected && <PersonPanel key={selected} id={selected} />}
      </div>
    </section>
  );
}

function PersonPanel({ id }: { id: number }) {
  const tx = useInboxText();
  const ws = useWorkspace();
  const { dateTime } = useI18n();
  const person = useAsync((s) => inboxApi.person(ws.id, id, s), [ws.id, id]);
  const [other, setOther] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const act = async (fn: () => Promise<{ id: number }>) => {
    setError(null);
    try {
      const p = await fn();
      navigate(href(`/w/${ws.id}/people`, { person: p.id }));
      person.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  if (person.error) return <aside className="detail"><ErrorNotice error={person.error} /></aside>;
  if (!person.data) return <aside className="detail"><Loading /></aside>;
  const p = person.data;
  return (
    <aside className="detail" data-testid="person-panel">
      <h2>{p.displayName}</h2>
      {error && <ErrorNotice error={error} />}
      {p.repeatComplainer && <p className="error-text" data-testid="repeat-flag">{p.repeatComplainer}</p>}
      <p data-testid="churn-risk">{tx('people.churn')}: <strong>{p.churnRisk.level}</strong> {p.churnRisk.reasons.join(' · ')}</p>
      <h3>{tx('people.identities')}</h3>
      <ul className="events">
        {p.identities.map((i) => (
          <li key={i.authorId} data-testid="identity">{i.channel}: {i.handle} <span className="muted small" data-testid="link-reason">{linkReason(tx, i)}</span>
            {p.identities.length > 1 && <button type="button" onClick={() => act(() => inboxApi.split(ws.id, p.id, i.authorId))}>{tx('people.split')}</button>}
          </li>
        ))}
      </ul>
      <Handles person={p} onChange={() => person.reload()} />
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); act(() => inboxApi.merge(ws.id, p.id, Number(other))); }}>
        <input value={other} inputMode="numeric" onChange={(e) => setOther(e.target.value)} aria-label={tx('people.merge')} placeholder={tx('people.merge')} required />
        <button type="submit">{tx('people.mergeButton')}</button>
      </form>
      <h3>{tx('people.cases')}</h3>
      <ul className="events">{p.cases.map((c) => <li key={c.id}><Link to={href(`/w/${ws.id}/inbox`, { case: c.id, status: 'open,pending_customer,resolved,closed' })}>#{c.id} {c.subject}</Link> · {tx(`status.${c.status}`)}</li>)}</ul>
      <h3>{tx('people.timeline')}</h3>
      <ul className="events">{p.mentions.map((m) => <li key={m.id}><span className="muted">{dateTime(m.publishedAt)} · {m.channel}</span> <MentionText mention={m} clamp /></li>)}</ul>
    </aside>
  );
}

type Tx = ReturnType<typeof useInboxText>;

/** Why an identity belongs to the person, in words. */
function linkReason(tx: Tx, i: Person['identities'][number]): string {
  const d = i.linkDetail;
  if (d?.rule === 'email') return tx('people.why.email', { address: d.address });
  if (d?.rule === 'verified-handle') return tx('people.why.handle', { channel: d.channel, handle: d.handle, who: d.verifiedBy ?? tx('people.someone'), evidence: d.evidence ? `: „${d.evidence}“` : '' });
  if (d?.rule === 'atproto-did') return tx('people.why.did', { did: d.did });
  return tx(i.link === 'manual' ? 'people.why.manual' : 'people.why.new');
}

/** Handles verified as the person's, and the form to verify one (agents). */
function Handles({ person, onChange }: { person: Person; onChange(): void }) {
  const tx = useInboxText();
  const ws = useWorkspace();
  const [channel, setChannel] = useState('mastodon');
  const [handle, setHandle] = useState('');
  const [evidence, setEvidence] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setHandle('');
      setEvidence('');
      onChange();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <section data-testid="verified-handles">
      <h3>{tx('people.handles')}</h3>
      <p className="muted small">{tx('people.handlesHint')}</p>
      <ul className="events">
        {person.handles.map((h) => (
          <li key={h.id}>{h.channel}: {h.handle} <span className="muted small">{h.verifiedBy?.name ?? ''}{h.evidence ? ` · ${h.evidence}` : ''}</span>
            <button type="button" onClick={() => run(() => inboxApi.unverifyHandle(ws.id, person.id, h.id))}>{tx('people.unverify')}</button>
          </li>
        ))}
      </ul>
      {error && <ErrorNotice error={error} />}
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void run(() => inboxApi.verifyHandle(ws.id, person.id, { channel, handle, ...(evidence ? { evidence } : {}) })); }}>
        <label><span className="sr-only">{tx('people.channel')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value)} aria-label={tx('people.channel')}>
            {['mastodon', 'bluesky', 'reddit', 'email', 'hackernews', 'googleplay', 'appstore'].map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <input value={handle} onChange={(e) => setHandle(e.target.value)} aria-label={tx('people.handle')} placeholder={tx('people.handle')} required />
        <input value={evidence} onChange={(e) => setEvidence(e.target.value)} aria-label={tx('people.evidence')} placeholder={tx('people.evidence')} />
        <button type="submit">{tx('people.verify')}</button>
      </form>
    </section>
  );
}
