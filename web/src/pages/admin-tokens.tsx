/** Admin tabs: API tokens (create — the token is shown once —, list, revoke) and the filterable audit log. */
import { useState, type FormEvent } from 'react';
import { useAsync } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { useWorkspace } from '../workspace.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { adminApi, useAdminText, type AuditFilter, type User } from './admin-messages.ts';

const nameOf = (users: User[] | undefined, id: number | null) => users?.find((u) => u.id === id)?.name ?? (id === null ? '—' : `#${id}`);

export function Tokens() {
  const ta = useAdminText();
  const { dateTime } = useI18n();
  const tokens = useAsync((s) => adminApi.tokens(s), []);
  const users = useAsync((s) => adminApi.users(s), []);
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err as Error);
    }
    tokens.reload();
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await adminApi.createToken({ name, ...(owner ? { userId: Number(owner) } : {}) });
      setShown(r.token);
      setName('');
    });
  };
  if (tokens.error) return <ErrorNotice error={tokens.error} onRetry={tokens.reload} />;
  if (!tokens.data) return <Loading />;
  return (
    <div className="grid">
      {error && <ErrorNotice error={error} />}
      {shown && (
        <div className="card" role="status" data-testid="new-token">
          <p><strong>{ta('tokens.once')}</strong></p>
          <code className="query" data-testid="token-value">{shown}</code>
          <div className="actions"><button type="button" onClick={() => setShown(null)}>{ta('tokens.dismiss')}</button></div>
        </div>
      )}
      {!tokens.data.items.length ? <Empty title={ta('tokens.empty')} /> : (
        <table className="table" data-testid="tokens-table">
          <thead><tr><th>{ta('tokens.name')}</th><th>{ta('tokens.owner')}</th><th>{ta('tokens.prefix')}</th><th>{ta('tokens.created')}</th><th>{ta('tokens.lastUsed')}</th><th>{ta('tokens.state')}</th><th /></tr></thead>
          <tbody>
            {tokens.data.items.map((k) => (
              <tr key={k.id} data-testid="token-row" data-name={k.name}>
                <td>{k.name}</td><td>{nameOf(users.data?.items, k.userId)}</td><td><code>{k.prefix}</code></td>
                <td>{dateTime(k.createdAt)}</td><td>{k.lastUsedAt ? dateTime(k.lastUsedAt) : ta('tokens.never')}</td>
                <td data-testid="token-state">{k.revokedAt ? ta('tokens.revoked') : ta('tokens.valid')}</td>
                <td>{!k.revokedAt && <button type="button" onClick={() => void run(() => adminApi.revokeToken(k.id))}>{ta('tokens.revoke')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="card form" onSubmit={create} aria-label={ta('tokens.create')}>
        <h2>{ta('tokens.create')}</h2>
        <label className="field">{ta('tokens.name')}<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} /></label>
        <label className="field">{ta('tokens.owner')}
          <select value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">—</option>
            {users.data?.items.filter((u) => !u.disabled).map((u) => <option key={u.id} value={u.id}>{u.name} ({u.email})</option>)}
          </select>
        </label>
        <div className="actions"><button type="submit" className="primary">{ta('tokens.create')}</button></div>
      </form>
    </div>
  );
}

/** `datetime-local` value ↔ epoch ms (the browser's time zone). */
const toMs = (v: string) => (v ? new Date(v).getTime() : undefined);

export function AuditLog() {
  const ta = useAdminText();
  const { dateTime } = useI18n();
  const ws = useWorkspace();
  const users = useAsync((s) => adminApi.users(s), []);
  const [userId, setUserId] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [onlyHere, setOnlyHere] = useState(false);
  const [before, setBefore] = useState<number | undefined>(undefined);
  const filter: AuditFilter = { ...(userId ? { userId: Number(userId) } : {}), ...(action.trim() ? { action: action.trim() } : {}), from: toMs(from), to: toMs(to), ...(onlyHere ? { workspaceId: ws.id } : {}), before };
  const log = useAsync((s) => adminApi.audit(filter, s), [userId, action, from, to, onlyHere, before]);
  const reset = <T,>(set: (v: T) => void) => (v: T) => { setBefore(undefined); set(v); };
  const items = log.data?.items ?? [];
  return (
    <div>
      <div className="filters" role="search" aria-label={ta('admin.audit')}>
        <label>{ta('audit.user')} <select value={userId} onChange={(e) => reset(setUserId)(e.target.value)}>
          <option value="">{ta('audit.anyone')}</option>
          {users.data?.items.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
        </select></label>
        <label>{ta('audit.actionFilter')} <input value={action} onChange={(e) => reset(setAction)(e.target.value)} /></label>
        <label>{ta('audit.from')} <input type="datetime-local" value={from} onChange={(e) => reset(setFrom)(e.target.value)} /></label>
        <label>{ta('audit.to')} <input type="datetime-local" value={to} onChange={(e) => reset(setTo)(e.target.value)} /></label>
        <label><input type="checkbox" checked={onlyHere} onChange={(e) => reset(setOnlyHere)(e.target.checked)} /> {ta('audit.workspace')}</label>
      </div>
      {log.error && <ErrorNotice error={log.error} onRetry={log.reload} />}
      {!log.data && !log.error && <Loading />}
      {log.data && !items.length && <Empty title={ta('audit.empty')} />}
      {items.length > 0 && (
        <table className="table" data-testid="audit-table">
          <thead><tr><th>{ta('audit.when')}</th><th>{ta('audit.who')}</th><th>{ta('audit.action')}</th><th>{ta('audit.subject')}</th><th>{ta('audit.ip')}</th></tr></thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td>{dateTime(e.at)}</td><td>{e.actor}</td><td><code>{e.action}</code></td><td className="small">{e.subject ?? ''}</td><td className="small">{e.ip ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.length === 100 && <div className="actions"><button type="button" onClick={() => setBefore(items.at(-1)!.id)}>{ta('audit.older')}</button></div>}
    </div>
  );
}
