import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/test-db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { PASSWORD, rawCall, seedTeam, signIn, type Session } from './support/session.ts';

type ErrorBody = { error: { code: string; message: string } };

for (const dialect of DIALECTS) {
  describe(`Accounts and authentication (${dialect})`, () => {
    let t: TestApp;
    let team: Record<string, Session>;

    before(async () => {
      t = await startTestApp(dialect, { LOGIN_MAX_FAILURES: '3', INBOX_JOBS: 'false' });
      // Before any user exists the API is open (AUTH=auto), as the quick start and the older tests expect.
      assert.equal((await t.api('POST', '/api/workspaces', { name: 'Open before setup' })).status, 201);
      team = await seedTeam(t, [
        { email: 'bo@acme.test', name: 'Bo Agent', role: 'agent' },
        { email: 'vi@acme.test', name: 'Vi Viewer', role: 'viewer' },
      ]);
    });
    after(() => t.close());

    it('requires sign-in once a user exists, and setup runs only once', async () => {
      const anon = await t.api<ErrorBody>('GET', '/api/workspaces');
      assert.deepEqual([anon.status, anon.body.error.code], [401, 'unauthorized']);
      assert.equal((await t.api('GET', '/api/health')).status, 200);
      const again = await t.api<ErrorBody>('POST', '/api/auth/setup', { email: 'eve@evil.test', name: 'Eve', password: 'x'.repeat(12) });
      assert.deepEqual([again.status, again.body.error.code], [409, 'conflict']);
      const me = await team.bo!.api<{ user: { email: string; role: string }; authRequired: boolean; csrfToken: string }>('GET', '/api/auth/me');
      assert.deepEqual([me.body.user.email, me.body.user.role, me.body.authRequired], ['bo@acme.test', 'agent', true]);
    });

    it('sets an HttpOnly, SameSite=Lax session cookie, Secure only behind https', async () => {
      const plain = await rawCall(t, 'POST', '/api/auth/login', { email: 'bo@acme.test', password: PASSWORD }, {});
      const cookie = plain.headers.get('set-cookie') ?? '';
      assert.match(cookie, /earshot_session=[^;]{30,}; Path=\/; HttpOnly; SameSite=Lax/);
      assert.doesNotMatch(cookie, /Secure/);
      const proxied = await rawCall(t, 'POST', '/api/auth/login', { email: 'bo@acme.test', password: PASSWORD }, { 'x-forwarded-proto': 'https' });
      assert.match(proxied.headers.get('set-cookie') ?? '', /; Secure$/);
    });

    it('refuses cookie-authenticated writes without the CSRF token or from another origin', async () => {
      const admin = team.admin!;
      const noToken = await rawCall<ErrorBody>(t, 'POST', '/api/workspaces', { name: 'x' }, { cookie: admin.cookie });
      assert.deepEqual([noToken.status, noToken.body.error.code], [403, 'forbidden']);
      const foreign = await admin.api<ErrorBody>('POST', '/api/workspaces', { name: 'x' }, { origin: 'https://evil.example' });
      assert.equal(foreign.status, 403);
      assert.equal((await admin.api('POST', '/api/workspaces', { name: 'Acme care' })).status, 201);
    });

    it('keeps viewers read-only and configuration writes for admins', async () => {
      assert.equal((await team.vi!.api('GET', '/api/workspaces')).status, 200);
      const viewer = await team.vi!.api<ErrorBody>('POST', '/api/workspaces', { name: 'Nope' });
      assert.deepEqual([viewer.status, viewer.body.error.code], [403, 'forbidden']);
      assert.equal((await team.bo!.api('POST', '/api/workspaces', { name: 'Nope' })).status, 403);
      assert.equal((await team.bo!.api('POST', '/api/users', { email: 'x@acme.test', name: 'X', password: PASSWORD })).status, 403);
    });

    it('authenticates API tokens (hashed at rest, shown once, revocable) without CSRF', async () => {
      const created = await team.bo!.api<{ token: string; record: { id: number; prefix: string } }>('POST', '/api/tokens', { name: 'zapier' });
      assert.equal(created.status, 201);
      assert.match(created.body.token, /^esk_/);
      const auth = { authorization: `Bearer ${created.body.token}` };
      const me = await rawCall<{ user: { email: string }; via: string }>(t, 'GET', '/api/auth/me', undefined, auth);
      assert.deepEqual([me.body.user.email, me.body.via], ['bo@acme.test', 'token']);
      const list = await team.admin!.api<{ items: Record<string, unknown>[] }>('GET', '/api/tokens');
      assert.ok(list.body.items.every((i) => !('token' in i) && !('tokenHash' in i)));
      assert.equal((await team.bo!.api('DELETE', `/api/tokens/${created.body.record.id}`)).status, 204);
      const revoked = await rawCall<ErrorBody>(t, 'GET', '/api/workspaces', undefined, auth);
      assert.equal(revoked.status, 401);
    });

    it('rate-limits wrong passwords per IP and address with 429 in the error shape', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await rawCall(t, 'POST', '/api/auth/login', { email: 'vi@acme.test', password: 'wrong password' }, {})).status, 401);
      const limited = await rawCall<ErrorBody>(t, 'POST', '/api/auth/login', { email: 'vi@acme.test', password: PASSWORD }, {});
      assert.deepEqual([limited.status, limited.body.error.code], [429, 'rate_limited']);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      await signIn(t, 'bo@acme.test', PASSWORD); // another address from the same IP still signs in
    });

    it('writes who did what to the audit log (admins read it)', async () => {
      const log = await team.admin!.api<{ items: { actor: string; action: string }[] }>('GET', '/api/audit?limit=200');
      const actions = log.body.items.map((e) => `${e.actor} ${e.action}`);
      assert.ok(actions.includes('ada@acme.test POST /api/workspaces'), actions.join('\n'));
      assert.ok(actions.includes('vi@acme.test login.failure'));
      assert.ok(actions.includes('vi@acme.test login.rate_limited'));
      assert.ok(actions.includes('bo@acme.test login.success'));
      assert.equal((await team.bo!.api('GET', '/api/audit')).status, 403);
    });

    it('lets admins change roles and deactivate users, never the last active admin', async () => {
      const admin = team.admin!;
      const created = await admin.api<{ id: number; role: string }>('POST', '/api/users', { email: 'cy@acme.test', name: 'Cy Temp', role: 'viewer', password: PASSWORD });
      assert.deepEqual([created.status, created.body.role], [201, 'viewer']);
      const cy = await signIn(t, 'cy@acme.test', PASSWORD);
      const promoted = await admin.api<{ role: string }>('PATCH', `/api/users/${created.body.id}`, { role: 'agent' });
      assert.deepEqual([promoted.status, promoted.body.role], [200, 'agent']);
      assert.equal((await cy.api('PATCH', `/api/users/${created.body.id}`, { role: 'admin' })).status, 403, 'nobody promotes themselves');
      const off = await admin.api<{ disabled: boolean }>('PATCH', `/api/users/${created.body.id}`, { disabled: true });
      assert.deepEqual([off.status, off.body.disabled], [200, true]);
      assert.equal((await cy.api('GET', '/api/workspaces')).status, 401, 'a deactivated user is signed out');
      assert.equal((await rawCall(t, 'POST', '/api/auth/login', { email: 'cy@acme.test', password: PASSWORD }, {})).status, 401);
      const last = await admin.api<ErrorBody>('PATCH', `/api/users/${admin.userId}`, { role: 'agent' });
      assert.deepEqual([last.status, last.body.error.code], [409, 'conflict']);
      assert.equal((await admin.api<ErrorBody>('PATCH', `/api/users/${admin.userId}`, { disabled: true })).status, 409);
    });

    it('filters the audit log by action text, user and time', async () => {
      const admin = team.admin!;
      const now = Date.now();
      const patches = await admin.api<{ items: { action: string; userId: number }[] }>('GET', '/api/audit?action=patch%20/api/users');
      assert.ok(patches.body.items.length >= 2);
      assert.ok(patches.body.items.every((e) => e.action === 'PATCH /api/users/:id'), JSON.stringify(patches.body.items));
      const limited = await admin.api<{ items: { action: string; actor: string }[] }>('GET', '/api/audit?action=rate_limited');
      assert.ok(limited.body.items.length >= 1 && limited.body.items.every((e) => e.action === 'login.rate_limited'));
      const byBo = await admin.api<{ items: { userId: number }[] }>('GET', `/api/audit?userId=${team.bo!.userId}`);
      assert.ok(byBo.body.items.length >= 1 && byBo.body.items.every((e) => e.userId === team.bo!.userId));
      assert.deepEqual((await admin.api<{ items: unknown[] }>('GET', `/api/audit?from=${now + 60_000}`)).body.items, []);
      const page = await admin.api<{ items: { id: number }[] }>('GET', `/api/audit?to=${now + 60_000}&limit=2`);
      assert.equal(page.body.items.length, 2);
      const older = await admin.api<{ items: { id: number }[] }>('GET', `/api/audit?limit=2&before=${page.body.items[1]!.id}`);
      assert.ok(older.body.items.every((e) => e.id < page.body.items[1]!.id));
    });
  });
}

describe('AUTH=off', () => {
  it('keeps the API open even with users, acting as an audited anonymous admin', async () => {
    const t = await startTestApp('sqlite', { AUTH: 'off', INBOX_JOBS: 'false' });
    try {
      await seedTeam(t, []);
      assert.equal((await t.api('POST', '/api/workspaces', { name: 'Still open' })).status, 201);
    } finally {
      await t.close();
    }
  });
});
