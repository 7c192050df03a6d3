/** Inbox settings: intake rules and SLA policy (admins), saved replies (agents), and who is available for round-robin. */
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { useWorkspace } from '../workspace.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { inboxApi, type User } from './inbox-api.ts';
import { useInboxText } from './inbox-messages.ts';

const INTENTS = ['complaint', 'question', 'churn_threat', 'escalation_threat', 'suggestion', 'praise'];
interface Rules { enabled: boolean; intents: string[]; negative: boolean; everything: boolean; autoAssign: boolean }
interface Sla { enabled: boolean; firstResponseMinutes: number; nextResponseMinutes: number; resolutionMinutes: number; warnBeforeMinutes: number; businessHours: { timeZone: string; days: number[]; start: string; end: string } | null }
interface Settings { rules: Rules; sla: Sla }

export function InboxSettings() {
  const tx = useInboxText();
  const ws = useWorkspace();
  const settings = useAsync((s) => api.get<Settings>(`/workspaces/${ws.id}/inbox/settings`, {}, s), [ws.id]);
  const [error, setError] = useState<Error | null>(null);
  const save = async (body: Partial<Settings>) => {
    setError(null);
    try {
      await api.patch(`/workspaces/${ws.id}/inbox/settings`, body);
      settings.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  if (settings.error) return <ErrorNotice error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Loading />;
  return (
    <div className="grid" data-testid="inbox-settings">
      {error && <ErrorNotice error={error} />}
      <RulesForm key={JSON.stringify(settings.data.rules)} rules={settings.data.rules} save={(rules) => save({ rules })} />
      <SlaForm key={JSON.stringify(settings.data.sla)} sla={settings.data.sla} save={(sla) => save({ sla })} />
      <Templates />
      <Team />
      <p className="muted small">{tx('settings.adminsOnly')}</p>
    </div>
  );
}

function RulesForm({ rules, save }: { rules: Rules; save(r: Rules): void }) {
  const tx = useInboxText();
  const [r, setR] = useState(rules);
  const toggle = (i: string) => setR({ ...r, intents: r.intents.includes(i) ? r.intents.filter((x) => x !== i) : [...r.intents, i] });
  return (
    <form className="card form" onSubmit={(e) => { e.preventDefault(); save(r); }}>
      <h2>{tx('settings.rules')}</h2>
      <fieldset className="radios"><legend>{tx('settings.intents')}</legend>
        {INTENTS.map((i) => <label key={i}><input type="checkbox" checked={r.intents.includes(i)} onChange={() => toggle(i)} /> {i.replace('_', ' ')}</label>)}
      </fieldset>
      <label><input type="checkbox" checked={r.negative} onChange={(e) => setR({ ...r, negative: e.target.checked })} /> {tx('settings.negative')}</label>
      <label><input type="checkbox" checked={r.everything} onChange={(e) => setR({ ...r, everything: e.target.checked })} /> {tx('settings.everything')}</label>
      <label><input type="checkbox" checked={r.autoAssign} onChange={(e) => setR({ ...r, autoAssign: e.target.checked })} /> {tx('settings.autoAssign')}</label>
      <div className="actions"><button type="submit" className="primary">{tx('settings.save')}</button></div>
    </form>
  );
}

function SlaForm({ sla, save }: { sla: Sla; save(s: Sla): void }) {
  const tx = useInboxText();
  const [s, setS] = useState(sla);
  const minutes = (k: 'firstResponseMinutes' | 'nextResponseMinutes' | 'resolutionMinutes' | 'warnBeforeMinutes') => (
    <label className="field">{tx(`settings.${k}`)}<input type="number" min={0} value={s[k]} onChange={(e) => setS({ ...s, [k]: Number(e.target.value) })} /></label>
  );
  const hours = s.businessHours;
  return (
    <form className="card form" onSubmit={(e) => { e.preventDefault(); save(s); }}>
      <h2>{tx('settings.sla')}</h2>
      {minutes('firstResponseMinutes')}{minutes('nextResponseMinutes')}{minutes('resolutionMinutes')}{minutes('warnBeforeMinutes')}
      <label><input type="checkbox" checked={hours !== null} onChange={(e) => setS({ ...s, businessHours: e.target.checked ? { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } : null })} /> {tx('settings.businessHours')}</label>
      {hours && (
        <div className="inline-form">
          <input aria-label={tx('settings.timeZone')} value={hours.timeZone} onChange={(e) => setS({ ...s, businessHours: { ...hours, timeZone: e.target.value } })} />
          <input aria-label={tx('settings.start')} type="time" value={hours.start} onChange={(e) => setS({ ...s, businessHours: { ...hours, start: e.target.value } })} />
          <input aria-label={tx('settings.end')} type="time" value={hours.end} onChange={(e) => setS({ ...s, businessHours: { ...hours, end: e.target.value } })} />
        </div>
      )}
      <div className="actions"><button type="submit" className="primary">{tx('settings.save')}</button></div>
    </form>
  );
}

function Templates() {
  const tx = useInboxText();
  const ws = useWorkspace();
  const list = useAsync((s) => inboxApi.templates(ws.id, s), [ws.id]);
  const [draft, setDraft] = useState({ name: '', en: '', de: '', es: '' });
  const [error, setError] = useState<Error | null>(null);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const variants = Object.fromEntries((['en', 'de', 'es'] as const).filter((l) => draft[l].trim()).map((l) => [l, draft[l]]));
    try {
      await api.post(`/workspaces/${ws.id}/reply-templates`, { name: draft.name, variants });
      setDraft({ name: '', en: '', de: '', es: '' });
      list.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form className="card form" onSubmit={add}>
      <h2>{tx('settings.templates')}</h2>
      <ul className="events">{list.data?.items.map((t) => <li key={t.id}>{t.name} <span className="muted">({Object.keys(t.variants).join(', ')})</span></li>)}</ul>
      {error && <ErrorNotice error={error} />}
      <label className="field">{tx('settings.templateName')}<input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required /></label>
      {(['en', 'de', 'es'] as const).map((l) => <label key={l} className="field">{l}<textarea rows={2} value={draft[l]} onChange={(e) => setDraft({ ...draft, [l]: e.target.value })} placeholder="Hi {{customer.name}}, …" /></label>)}
      <div className="actions"><button type="submit">{tx('settings.addTemplate')}</button></div>
    </form>
  );
}

function Team() {
  const tx = useInboxText();
  const users = useAsync((s) => inboxApi.users(s), []);
  const [error, setError] = useState<Error | null>(null);
  const setAvailable = async (u: User, available: boolean) => {
    try {
      await api.patch(`/users/${u.id}`, { available });
      users.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <div className="card">
      <h2>{tx('settings.team')}</h2>
      {error && <ErrorNotice error={error} />}
      <ul className="events">
        {users.data?.items.filter((u) => u.role === 'agent').map((u) => (
          <li key={u.id}><label><input type="checkbox" checked={u.available} onChange={(e) => setAvailable(u, e.target.checked)} /> {u.name} <span className="muted">{u.email}</span></label></li>
        ))}
      </ul>
    </div>
  );
}
