/** Inbox: the case queue (status and assignee filters, SLA countdowns), with the open case beside it, and the user's SLA notices. */
import { useAsync, useInterval } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { href, Link, useLocation } from '../router.tsx';
import { useWorkspace } from '../workspace.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { duration, inboxApi, type CaseSummary, type SlaClock } from './inbox-api.ts';
import { useInboxText } from './inbox-messages.ts';
import { CasePanel } from './inbox-case.tsx';
import { InboxSettings } from './inbox-settings.tsx';

const STATUS_TABS = [
  { id: 'open,pending_customer', label: 'queue.open' },
  { id: 'pending_customer', label: 'queue.pending' },
  { id: 'resolved,closed', label: 'queue.done' },
] as const;

export function InboxPage() {
  const tx = useInboxText();
  const ws = useWorkspace();
  const { path, query } = useLocation();
  const status = query.get('status') ?? STATUS_TABS[0].id;
  const assignee = query.get('assignee') ?? '';
  const open = Number(query.get('case')) || null;
  const queue = useAsync((s) => inboxApi.queue(ws.id, { status, ...(assignee ? { assignee } : {}) }, s), [ws.id, status, assignee]);
  useInterval(queue.reload, 5_000);
  const to = (p: Record<string, string | number | null>) => href(path, { status, assignee, case: open, ...p });
  if (query.get('view') === 'settings') {
    return (
      <section aria-labelledby="inbox-title">
        <div className="page-head"><h1 id="inbox-title">{tx('queue.title')} · {tx('settings.title')}</h1><Link to={href(path)} className="button">{tx('case.close')}</Link></div>
        <InboxSettings />
      </section>
    );
  }
  return (
    <section aria-labelledby="inbox-title">
      <div className="page-head">
        <h1 id="inbox-title">{tx('queue.title')}</h1>
        <nav className="toolbar" aria-label={tx('queue.title')}>
          {STATUS_TABS.map((tab) => <Link key={tab.id} to={to({ status: tab.id, case: null })} aria-current={status === tab.id ? 'page' : undefined} className="button">{tx(tab.label)}</Link>)}
          <span className="muted">|</span>
          {[['', 'queue.everyone'], ['me', 'queue.mine'], ['none', 'queue.unassigned']].map(([id, label]) => (
            <Link key={id} to={to({ assignee: id!, case: null })} aria-current={assignee === id ? 'page' : undefined} className="button">{tx(label as 'queue.mine')}</Link>
          ))}
          <Link to={href(path, { view: 'settings' })} className="button">{tx('settings.title')}</Link>
        </nav>
      </div>
      <Notices />
      <div className={open ? 'split open' : 'split'}>
        <div className="list-pane static">
          {queue.error && <ErrorNotice error={queue.error} onRetry={queue.reload} />}
          {!queue.data && !queue.error && <Loading />}
          {queue.data && !queue.data.items.length && <Empty title={tx('queue.empty')} hint={tx('queue.emptyHint')} />}
          {queue.data && queue.data.items.length > 0 && <Queue items={queue.data.items} selected={open} link={(id) => to({ case: id })} />}
        </div>
        {open && <CasePanel key={open} caseId={open} onChanged={queue.reload} closeTo={to({ case: null })} />}
      </div>
    </section>
  );
}

function Queue({ items, selected, link }: { items: CaseSummary[]; selected: number | null; link(id: number): string }) {
  const tx = useInboxText();
  const ws = useWorkspace();
  const { relative } = useI18n();
  return (
    <table className="table" data-testid="case-queue">
      <thead><tr><th className="num">{tx('case.priority')}</th><th>{tx('case.thread')}</th><th>{tx('case.status')}</th><th>SLA</th></tr></thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id} data-testid="case-row" aria-selected={c.id === selected}>
            <td className="num">{c.escalated ? '⚠ ' : ''}{Math.round(c.priority)}</td>
            <td>
              <Link to={link(c.id)}>{c.subject}</Link>
              <div className="muted small">#{c.id} · {c.brandId ? ws.brandName(c.brandId) : ''} · {c.channel} · {relative(c.openedAt)}</div>
            </td>
            <td>{tx(`status.${c.status}`)}</td>
            <td><SlaBadge clock={c.sla.find((k) => k.state !== 'met') ?? c.sla[0]} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "First response · due in 12 min" / "overdue by 2 h", coloured by state. */
export function SlaBadge({ clock }: { clock: SlaClock | undefined }) {
  const tx = useInboxText();
  if (!clock) return null;
  const name = tx(`sla.${clock.objective}`);
  const left = clock.targetMs - clock.elapsedMs;
  const text =
    clock.state === 'paused' || clock.state === 'met' || clock.state === 'missed' ? tx(`sla.${clock.state}`)
      : left >= 0 ? tx('sla.due', { d: duration(left) }) : tx('sla.over', { d: duration(-left) });
  const cls = clock.state === 'breached' || clock.state === 'missed' ? 'error-text' : clock.state === 'warning' ? 'status-paused' : 'muted';
  return <span className={`small ${cls}`} data-testid="sla" data-state={clock.state}>{name} · {text}</span>;
}

/** The signed-in user's unread SLA warnings and escalations (hidden when there are none, or nobody is signed in). */
function Notices() {
  const tx = useInboxText();
  const ws = useWorkspace();
  const { relative, dateTime } = useI18n();
  const notices = useAsync((s) => inboxApi.notices(s), []);
  useInterval(notices.reload, 15_000);
  const items = notices.data?.items ?? [];
  if (!items.length) return null;
  const read = async (id: number) => {
    await inboxApi.readNotice(id).catch(() => undefined);
    notices.reload();
  };
  return (
    <aside className="card" aria-label={tx('notices.title')} data-testid="notices">
      <h2 className="small">{tx('notices.title')}</h2>
      <ul className="events">
        {items.map((n) => (
          <li key={n.id} data-testid="notice" data-kind={n.kind}>
            <span className={n.kind === 'sla_breached' ? 'error-text' : 'status-paused'}>{tx(`notices.${n.kind}`, { objective: tx(`sla.${n.objective}`), id: String(n.caseId), due: n.detail.dueAt ? dateTime(n.detail.dueAt) : '' })}</span> <span className="muted small">{relative(n.createdAt)}</span>
            {' '}{n.workspaceId === ws.id && <Link to={href(`/w/${ws.id}/inbox`, { case: n.caseId })}>{tx('notices.open')}</Link>}
            {' '}<button type="button" onClick={() => void read(n.id)}>{tx('notices.read')}</button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
