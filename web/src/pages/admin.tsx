/**
 * Administration (admins only): users (add, change role, deactivate), API tokens (create — shown once —,
 * list, revoke) and the audit log (filter by user, action, time, workspace). Tabs are the `tab` query
 * parameter. Other roles see a notice instead (and the API refuses them anyway).
 */
import { useState, type FormEvent } from 'react';
import { useAsync } from '../hooks.ts';
import { href, Link, useLocation } from '../router.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { adminApi, useAdminText, type Role, type User } from './admin-messages.ts';
import { AuditLog, Tokens } from './admin-tokens.tsx';

const TABS = [
  { id: 'users', label: 'admin.users' },
  { id: 'tokens', label: 'admin.tokens' },
  { id: 'audit', label: 'admin.audit' },
] as const;

export function AdminPage() {
  const ta = useAdminText();
  const { path, query } = useLocation();
  const me = useAsync((s) => adminApi.me(s), []);
  const tab = TABS.find((t) => t.id === query.get('tab'))?.id ?? 'users';
  if (me.error) return <ErrorNotice error={me.error} onRetry={me.reload} />;
  if (!me.data) return <Loading />;
  // With sign-in off (open mode) everyone acts as an admin.
  const isAdmin = !me.data.authRequired || me.data.user?.role === 'admin';
  return (
    <section aria-labelledby="admin-title">
      <div className="page-head">
        <h1 id="admin-title">{ta('admin.title')}</h1>
        {isAdmin && (
          <nav className="toolbar" aria-label={ta('admin.title')}>
            {TABS.map((t) => <Link key={t.id} to={href(path, { tab: t.id })} aria-current={tab === t.id ? 'page' : undefined} className="button">{ta(t.label)}</Link>)}
          </nav>
        )}
      </div>
      {!isAdmin && <p className="card error-text" role="alert" data-testid="admin-forbidden">{ta('admin.forbidden')}</p>}
      {isAdmin && tab === 'users' && <Users meId={me.data.user?.id ?? null} />}
      {isAdmin && tab === 'tokens' && <Tokens />}
      {isAdmin && tab === 'audit' && <AuditLog />}
    </section>
  );
}

const ROLES: Role[] = ['admin', 'agent', 'viewer'];

function Users({ meId }: { meId: number | null }) {
  const ta = useAdminText();
  const users = useAsync((s) => adminApi.users(s), []);
  const [error, setError] = useState<Error | null>(null);
  const change = async (u: User, body: { role?: Role; disabled?: boolean }) => {
    setError(null);
    try {
      await adminApi.changeUser(u.id, body);
    } catch (err) {
      setError(err as Error);
    }
    users.reload();
  };
  if (users.error) return <ErrorNotice error={users.error} onRetry={users.reload} />;
  if (!users.data) return <Loading />;
  return (
    <div className="grid">
      {error && <ErrorNotice error={error} />}
      <table className="table" data-testid="users-table">
        <thead><tr><th>{ta('users.name')}</th><th>{ta('users.email')}</th><th>{ta('users.role')}</th><th>{ta('users.status')}</th><th /></tr></thead>
        <tbody>
          {users.data.items.map((u) => (
            <tr key={u.id} data-testid="user-row" data-email={u.email}>
              <td>{u.name}{u.id === meId ? ` (${ta('users.you')})` : ''}</td>
              <td>{u.email}</td>
              <td>
                <select value={u.role} aria-label={`${ta('users.role')}: ${u.email}`} onChange={(e) => void change(u, { role: e.target.value as Role })}>
                  {ROLES.map((r) => <option key={r} value={r}>{ta(`role.${r}`)}</option>)}
                </select>
              </td>
              <td data-testid="user-status">{u.disabled ? ta('users.deactivated') : ta('users.active')}</td>
              <td><button type="button" onClick={() => void change(u, { disabled: !u.disabled })}>{u.disabled ? ta('users.reactivate') : ta('users.deactivate')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddUser onAdded={users.reload} />
    </div>
  );
}

function AddUser({ onAdded }: { onAdded(): void }) {
  const ta = useAdminText();
  const blank = { name: '', email: '', role: 'agent' as Role, password: '' };
  const [f, setF] = useState(blank);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await adminApi.addUser(f);
      setF(blank);
      onAdded();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="add-user" aria-label={ta('users.add')}>
      <h2>{ta('users.add')}</h2>
      <p className="muted small">{ta('users.addHint')}</p>
      <label className="field">{ta('users.name')}<input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required /></label>
      <label className="field">{ta('users.email')}<input type="email" value={f.email} onChange={(e) => setF({ ...f, email: e.target.value })} required /></label>
      <label className="field">{ta('users.role')}
        <select value={f.role} onChange={(e) => setF({ ...f, role: e.target.value as Role })}>{ROLES.map((r) => <option key={r} value={r}>{ta(`role.${r}`)}</option>)}</select>
      </label>
      <label className="field">{ta('users.password')}<input type="password" autoComplete="new-password" minLength={10} value={f.password} onChange={(e) => setF({ ...f, password: e.target.value })} required /></label>
      {error && <ErrorNotice error={error} />}
      <div className="actions"><button type="submit" className="primary">{ta('users.add')}</button></div>
    </form>
  );
}
