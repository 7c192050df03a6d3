/**
 * Sign-in, when the server requires it (GET /api/auth/me says so, or any call answers 401). Without accounts
 * on the server (open mode, or an Earshot without the accounts feature) this renders the app unchanged.
 */
import { createContext, useCallback, useContext, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, UNAUTHORIZED_EVENT } from './api.ts';
import { useI18n } from './i18n.tsx';
import { ErrorNotice, Loading } from './components/states.tsx';

export interface Me {
  user: { id: number; email?: string; name?: string | null } | null;
  authRequired: boolean;
  /** 'auto': sign-in is required once the first user exists; 'required' / 'off'. */
  mode?: string;
  csrfToken: string | null;
}

type State = 'checking' | 'in' | 'out';

interface AuthState {
  /** null when the server has no accounts feature. */
  me: Me | null;
  refresh(): void;
}

const Ctx = createContext<AuthState>({ me: null, refresh: () => undefined });

/** Who is signed in (and whether the server has accounts at all). */
export function useAuth(): AuthState {
  return useContext(Ctx);
}

export function AuthGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>('checking');
  const [me, setMe] = useState<Me | null>(null);
  const check = useCallback(async () => {
    try {
      const me = await api.get<Me>('/auth/me');
      setCsrfToken(me.csrfToken);
      setMe(me);
      setState(me.authRequired && !me.user ? 'out' : 'in');
    } catch (err) {
      // 404: this server has no accounts feature; anything else: let the pages show their own errors.
      setState(err instanceof ApiError && err.status === 401 ? 'out' : 'in');
    }
  }, []);
  useEffect(() => {
    void check();
    const onUnauthorized = () => setState('out');
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [check]);
  if (state === 'checking') return <main className="start"><Loading /></main>;
  if (state === 'out') return <SignIn onDone={() => void check()} />;
  return <Ctx.Provider value={{ me, refresh: () => void check() }}>{children}</Ctx.Provider>;
}

function SignIn({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await api.post<{ csrfToken: string }>('/auth/login', { email, password });
      setCsrfToken(r.csrfToken);
      onDone();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <main className="start">
      <h1>Earshot</h1>
      <form className="form" onSubmit={submit} aria-labelledby="signin-title">
        <h2 id="signin-title">{t('auth.title')}</h2>
        <label className="field">{t('auth.email')}<input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required /></label>
        <label className="field">{t('auth.password')}<input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
        {error && <ErrorNotice error={error} />}
        <div className="actions"><button type="submit" className="primary">{t('auth.submit')}</button></div>
      </form>
    </main>
  );
}
