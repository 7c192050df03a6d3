/**
 * A signed-in client for tests of the accounts and inbox API: keeps the session cookie and sends the CSRF
 * token on writes, as the web UI does.
 */
import type { TestApp } from './app.ts';

export interface Session {
  cookie: string;
  csrf: string;
  userId: number;
  api<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }>;
}

export async function rawCall<T>(t: TestApp, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(t.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** Signs in; throws with the answer when the sign-in fails. */
export async function signIn(t: TestApp, email: string, password: string): Promise<Session> {
  const r = await rawCall<{ user: { id: number }; csrfToken: string }>(t, 'POST', '/api/auth/login', { email, password }, {});
  if (r.status !== 200) throw new Error(`sign-in of ${email} failed: ${r.status} ${JSON.stringify(r.body)}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = r.body.csrfToken;
  return {
    cookie,
    csrf,
    userId: r.body.user.id,
    api: (method, path, body, headers = {}) => rawCall(t, method, path, body, { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }), ...headers }),
  };
}

export const PASSWORD = 'correct horse battery';

/** Creates the first admin and, signed in as that admin, the other users; returns their sessions. */
export async function seedTeam(t: TestApp, others: { email: string; name: string; role: 'admin' | 'agent' | 'viewer' }[]): Promise<Record<string, Session>> {
  const setup = await rawCall(t, 'POST', '/api/auth/setup', { email: 'ada@acme.test', name: 'Ada Admin', password: PASSWORD }, {});
  if (setup.status !== 201) throw new Error(`setup failed: ${JSON.stringify(setup.body)}`);
  const admin = await signIn(t, 'ada@acme.test', PASSWORD);
  const sessions: Record<string, Session> = { admin };
  for (const u of others) {
    const r = await admin.api('POST', '/api/users', { ...u, password: PASSWORD });
    if (r.status !== 201) throw new Error(`adding ${u.email} failed: ${JSON.stringify(r.body)}`);
    sessions[u.email.split('@')[0]!] = await signIn(t, u.email, PASSWORD);
  }
  return sessions;
}
