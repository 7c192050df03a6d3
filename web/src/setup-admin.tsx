/**
 * While no user exists (accounts mode 'auto'), anyone who can reach the port can use Earshot. The top bar says
 * so and offers to create the first admin; from then on sign-in is required.
 */
import { useState, type FormEvent } from 'react';
import { api, setCsrfToken } from './api.ts';
import { useAuth } from './auth.tsx';
import { useI18n } from './i18n.tsx';
import { ErrorNotice } from './components/states.tsx';

export function OpenAccessNotice() {
  const { t } = useI18n();
  const { me, refresh } = useAuth();
  const [open, setOpen] = useState(false);
  if (!me || me.user || me.authRequired || me.mode !== 'auto') return null;
  return (
    <div className="open-access">
      <button type="button" className="warn" aria-expanded={open} onClick={() => setOpen(!open)}>{t('setup.notice')}</button>
      {open && <SetupForm onDone={refresh} />}
    </div>
  );
}

function SetupForm({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const [f, setF] = useState({ name: '', email: '', password: '' });
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.post('/auth/setup', f);
      const session = await api.post<{ csrfToken: string }>('/auth/login', { email: f.email, password: f.password });
      setCsrfToken(session.csrfToken);
      onDone();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form className="form popover" onSubmit={submit} aria-labelledby="setup-title">
      <h2 id="setup-title">{t('setup.title')}</h2>
      <p className="muted small">{t('setup.hint')}</p>
      <label className="field">{t('setup.name')}<input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required autoComplete="name" /></label>
      <label className="field">{t('auth.email')}<input type="email" value={f.email} onChange={(e) => setF({ ...f, email: e.target.value })} required autoComplete="username" /></label>
      <label className="field">{t('auth.password')}<input type="password" value={f.password} onChange={(e) => setF({ ...f, password: e.target.value })} required autoComplete="new-password" /></label>
      {error && <ErrorNotice error={error} />}
      <div className="actions"><button type="submit" className="primary">{t('setup.submit')}</button></div>
    </form>
  );
}
