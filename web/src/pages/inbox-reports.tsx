/** Reports: answered rate, first-response and resolution times, SLA attainment — overall and per brand, channel or agent. */
import { useAsync } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { href, Link, useLocation } from '../router.tsx';
import { useWorkspace } from '../workspace.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { duration, inboxApi, type Metrics } from './inbox-api.ts';
import { useInboxText } from './inbox-messages.ts';

const GROUPS = ['brand', 'channel', 'agent'] as const;

export function ReportsPage() {
  const tx = useInboxText();
  const ws = useWorkspace();
  const { path, query } = useLocation();
  const groupBy = (GROUPS as readonly string[]).includes(query.get('by') ?? '') ? query.get('by')! : 'brand';
  const users = useAsync((s) => inboxApi.users(s), []);
  const report = useAsync((s) => inboxApi.metrics(ws.id, { groupBy }, s), [ws.id, groupBy]);
  const name = (key: string) => {
    if (key === 'none') return '—';
    if (groupBy === 'brand') return ws.brandName(Number(key));
    if (groupBy === 'agent') return users.data?.items.find((u) => String(u.id) === key)?.name ?? `#${key}`;
    return key;
  };
  return (
    <section aria-labelledby="reports-title">
      <div className="page-head">
        <h1 id="reports-title">{tx('reports.title')}</h1>
        <nav className="toolbar">{tx('reports.by')}: {GROUPS.map((g) => <Link key={g} className="button" aria-current={g === groupBy ? 'page' : undefined} to={href(path, { by: g })}>{tx(`reports.${g}`)}</Link>)}</nav>
      </div>
      {report.error && <ErrorNotice error={report.error} onRetry={report.reload} />}
      {!report.data && !report.error && <Loading />}
      {report.data && (
        <table className="table" data-testid="report-table">
          <thead><tr><th>{tx(`reports.${groupBy as 'brand'}`)}</th><th className="num">{tx('reports.cases')}</th><th className="num">{tx('reports.answered')}</th><th className="num">{tx('reports.frtMedian')}</th><th className="num">{tx('reports.frtP90')}</th><th className="num">{tx('reports.resolution')}</th><th className="num">{tx('reports.sla')}</th></tr></thead>
          <tbody>
            <Row label="Σ" m={report.data.overall} />
            {report.data.groups.map((g) => <Row key={g.key} label={name(g.key)} m={g.metrics} />)}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Row({ label, m }: { label: string; m: Metrics }) {
  const { number, percent } = useI18n();
  const d = (v: number | null) => (v === null ? '—' : duration(v));
  const sla = m.sla.first_response.attainment;
  return (
    <tr>
      <td>{label}</td><td className="num">{number(m.cases)}</td><td className="num">{m.answeredRate === null ? '—' : percent(m.answeredRate)}</td>
      <td className="num">{d(m.firstResponse.medianMs)}</td><td className="num">{d(m.firstResponse.p90Ms)}</td><td className="num">{d(m.resolution.medianMs)}</td>
      <td className="num">{sla === null ? '—' : percent(sla)}</td>
    </tr>
  );
}
