/**
 * The shell: header with workspace and language pickers, the section navigation, and the page for the
 * current URL. Sections are one table (NAV): Radar, Inbox, People and Ideas join it with one entry and one
 * page component each when their issues land; until then they are not shown at all.
 */
import { useEffect, useState, type ComponentType, type FormEvent } from 'react';
import { api, type Workspace } from './api.ts';
import { useAsync } from './hooks.ts';
import { LOCALES, useI18n, type Locale } from './i18n.tsx';
import type { MessageKey } from './messages/en.ts';
import { Link, matchPath, navigate, Redirect, useLocation } from './router.tsx';
import { WorkspaceProvider } from './workspace.tsx';
import { OpenAccessNotice } from './setup-admin.tsx';
import { Empty, ErrorNotice, Loading } from './components/states.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { MentionsPage } from './pages/mentions.tsx';
import { BrandsPage } from './pages/brands.tsx';
import { SourcesPage } from './pages/sources.tsx';
import { InboxPage } from './pages/inbox.tsx';
import { PeoplePage } from './pages/inbox-people.tsx';
import { ReportsPage } from './pages/inbox-reports.tsx';
import { RadarPage } from './pages/radar.tsx';
import { AdminPage } from './pages/admin.tsx';
import { useAuth } from './auth.tsx';

interface Section {
  path: string;
  label: MessageKey;
  page: ComponentType;
  /** Listed only for admins (and while sign-in is off); the page itself refuses other roles too. */
  adminOnly?: boolean;
}

export const NAV: Section[] = [
  { path: 'overview', label: 'nav.overview', page: OverviewPage },
  { path: 'mentions', label: 'nav.mentions', page: MentionsPage },
  { path: 'inbox', label: 'nav.inbox', page: InboxPage },
  { path: 'people', label: 'nav.people', page: PeoplePage },
  { path: 'reports', label: 'nav.reports', page: ReportsPage },
  { path: 'radar', label: 'nav.radar', page: RadarPage },
  { path: 'brands', label: 'nav.brands', page: BrandsPage },
  { path: 'sources', label: 'nav.sources', page: SourcesPage },
  { path: 'admin', label: 'nav.admin', page: AdminPage, adminOnly: true },
];

const LAST_WS = 'earshot.workspace';

export function App() {
  const { path } = useLocation();
  const m = matchPath('/w/:ws/:section', path);
  const section = NAV.find((s) => s.path === m?.section);
  if (!m || !section || !/^\d+$/.test(m.ws ?? '')) return <Start />;
  const ws = Number(m.ws);
  localStorage.setItem(LAST_WS, String(ws));
  const Page = section.page;
  return (
    <WorkspaceProvider id={ws}>
      <Shell ws={ws} current={section.path}>
        <Page />
      </Shell>
    </WorkspaceProvider>
  );
}

function Shell({ ws, current, children }: { ws: number; current: string; children: React.ReactNode }) {
  const { t, locale, setLocale, timeZone } = useI18n();
  const { me } = useAuth();
  const isAdmin = !me?.authRequired || (me.user as { role?: string } | null)?.role === 'admin';
  const workspaces = useAsync((s) => api.get<{ items: Workspace[] }>('/workspaces', {}, s), []);
  const sectionLabel = t(NAV.find((s) => s.path === current)!.label);
  useEffect(() => { document.title = `${sectionLabel} · Earshot`; }, [sectionLabel]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <header className="topbar">
        <span className="logo" aria-hidden="true">◉</span>
        <span className="product">Earshot</span>
        <label className="ws-picker">
          <span className="sr-only">{t('nav.workspace')}</span>
          <select value={ws} onChange={(e) => navigate(`/w/${e.target.value}/${current}`)}>
            {(workspaces.data?.items ?? [{ id: ws, name: `#${ws}`, createdAt: 0 }]).map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
          </select>
        </label>
        <span className="spacer" />
        <OpenAccessNotice />
        <span className="tz" title={t('nav.timeZoneHint')}>{timeZone}</span>
        <label>
          <span className="sr-only">{t('nav.language')}</span>
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            {LOCALES.map((l) => <option key={l.id} value={l.id}>{l.label}</option>)}
          </select>
        </label>
      </header>
      <nav className="sidenav" aria-label={t('nav.sections')}>
        <ul>
          {NAV.filter((s) => !s.adminOnly || isAdmin).map((s) => (
            <li key={s.path}>
              <Link to={`/w/${ws}/${s.path}`} aria-current={s.path === current ? 'page' : undefined}>{t(s.label)}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>{children}</main>
    </div>
  );
}

/** `/`: go to the last (or first) workspace, or offer to create one. */
function Start() {
  const { t } = useI18n();
  const workspaces = useAsync((s) => api.get<{ items: Workspace[] }>('/workspaces', {}, s), []);
  if (workspaces.error) return <main className="start"><ErrorNotice error={workspaces.error} onRetry={workspaces.reload} /></main>;
  if (!workspaces.data) return <main className="start"><Loading /></main>;
  const items = workspaces.data.items;
  const last = Number(localStorage.getItem(LAST_WS));
  const target = items.find((w) => w.id === last) ?? items[0];
  if (target) return <Redirect to={`/w/${target.id}/overview`} />;
  return (
    <main className="start">
      <h1>Earshot</h1>
      <Empty title={t('start.noWorkspace')} hint={t('start.noWorkspaceHint')}>
        <CreateWorkspace />
      </Empty>
    </main>
  );
}

function CreateWorkspace() {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const ws = await api.post<Workspace>('/workspaces', { name });
      navigate(`/w/${ws.id}/brands`);
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label>{t('start.workspaceName')} <input value={name} onChange={(e) => setName(e.target.value)} required /></label>
      <button type="submit" className="primary">{t('start.create')}</button>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
