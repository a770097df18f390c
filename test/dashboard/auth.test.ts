/**
 * Sign-in, sessions, sign-out and CSRF against a real collector (real HTTP, real SQLite file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app';
import { manualClock } from '../../collector/clock';
import { startCollector, TEST_ADMIN_KEY, TEST_READ_KEY, type TestCollector } from '../helpers/server';
import { csrfToken, dashboardClient, signIn } from './client';

const USER = { user: 'maria', password: 'correct horse battery' };
const clock = manualClock(Date.parse('2025-06-02T10:00:00Z'));
let collector: TestCollector;

beforeAll(async () => {
  collector = await startCollector({ clock, file: { dashboard: { users: [USER] } } });
});
afterAll(() => collector.close());

describe('signing in', () => {
  it('sends a visitor without a session to the login page, remembering where they were going', async () => {
    const client = dashboardClient(collector.url);
    const response = await client.get('/dashboard/overview?from=2025-05-01');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `/dashboard/login?next=${encodeURIComponent('/dashboard/overview?from=2025-05-01')}`,
    );
    for (const path of [
      '/dashboard/accounts',
      '/dashboard/contacts/x',
      '/dashboard/leads.csv',
      '/dashboard/stream',
    ]) {
      expect((await client.get(path)).status, path).toBe(303);
    }
  });

  it('signs in with a secret API key and sets a hardened session cookie', async () => {
    const client = dashboardClient(collector.url);
    const response = await signIn(client, { key: TEST_ADMIN_KEY }, '/dashboard/accounts');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard/accounts');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('lt_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/dashboard/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http on loopback
    expect(cookie).not.toContain(TEST_ADMIN_KEY);
    const page = await client.html('/dashboard');
    expect(page).toContain('admin');
    expect(page).not.toContain('read-only');
  });

  it('marks the cookie Secure when served over HTTPS', async () => {
    const app = createApp(collector.services);
    const login = await app.request('https://leads.example.com/dashboard/login');
    const token = csrfToken(await login.text());
    const loginCookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(login.headers.getSetCookie()[0]).toMatch(/Secure/);
    const response = await app.request('https://leads.example.com/dashboard/login', {
      method: 'POST',
      headers: {
        cookie: loginCookie,
        origin: 'https://leads.example.com',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        _csrf: token,
        method: 'key',
        key: TEST_ADMIN_KEY,
        next: '/dashboard',
      }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.getSetCookie().find((c) => c.startsWith('lt_session='))).toMatch(/;\s*Secure/i);
  });

  it('signs in with a configured user and password', async () => {
    const client = dashboardClient(collector.url);
    expect((await signIn(client, USER)).status).toBe(303);
    expect(await client.html('/dashboard')).toContain('maria');
  });

  it('refuses a wrong key, an unknown user and a wrong password', async () => {
    const client = dashboardClient(collector.url);
    const badKey = await signIn(client, { key: 'sk_test_nope_0123456789abcdef' });
    expect(badKey.status).toBe(401);
    expect(await badKey.text()).toContain('That key is not valid.');
    expect((await signIn(client, { user: 'maria', password: 'wrong password!' })).status).toBe(401);
    expect((await signIn(client, { user: 'nobody', password: USER.password })).status).toBe(401);
    expect(client.cookies.has('lt_session')).toBe(false);
    expect((await client.get('/dashboard')).status).toBe(303);
  });

  it('never redirects off the dashboard after sign-in (no open redirect)', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/dashboardevil', '/\\evil.example']) {
      const client = dashboardClient(collector.url);
      const response = await signIn(client, { key: TEST_ADMIN_KEY }, next);
      expect(response.headers.get('location'), next).toBe('/dashboard');
    }
  });

  it('refuses a login form posted from another site or without its token (login CSRF)', async () => {
    const client = dashboardClient(collector.url);
    const page = await client.html('/dashboard/login');
    const token = csrfToken(page);
    const form = { _csrf: token, method: 'key', key: TEST_ADMIN_KEY, next: '/dashboard' };
    expect((await client.post('/dashboard/login', form, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await client.post('/dashboard/login', { ...form, _csrf: 'forged' })).status).toBe(403);
    client.cookies.delete('lt_login');
    expect((await client.post('/dashboard/login', form)).status).toBe(403);
    expect(client.cookies.has('lt_session')).toBe(false);
  });
});

describe('sessions', () => {
  it('rejects a tampered or forged session cookie', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    const value = client.cookies.get('lt_session')!;
    const [payload, signature] = value.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.e += 1e9;
    client.cookies.set(
      'lt_session',
      `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`,
    );
    expect((await client.get('/dashboard')).status).toBe(303);
    client.cookies.set('lt_session', 'garbage');
    expect((await client.get('/dashboard')).status).toBe(303);
  });

  it('expires after 12 hours', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    expect((await client.get('/dashboard')).status).toBe(200);
    clock.advance(12 * 3600_000 + 1000);
    try {
      expect((await client.get('/dashboard')).status).toBe(303);
    } finally {
      clock.set(Date.parse('2025-06-02T10:00:00Z'));
    }
  });

  it('ends when the credential it was made from changes (password changed, key removed)', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, USER);
    const cookie = `lt_session=${client.cookies.get('lt_session')}`;
    const { config } = collector.services;
    const same = createApp(collector.services);
    expect((await same.request('http://x/dashboard', { headers: { cookie } })).status).toBe(200);
    const changed = createApp({
      ...collector.services,
      config: {
        ...config,
        dashboardUsers: [{ user: 'maria', password: 'a brand new password', role: 'admin' }],
      },
    });
    expect((await changed.request('http://x/dashboard', { headers: { cookie } })).status).toBe(303);
  });

  it('signs out only through a POST carrying the session token', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    const token = csrfToken(await client.html('/dashboard'));
    expect((await client.get('/dashboard/logout')).status).not.toBe(303);
    expect((await client.post('/dashboard/logout', {})).status).toBe(403);
    expect(
      (await client.post('/dashboard/logout', { _csrf: token }, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect((await client.get('/dashboard')).status).toBe(200);
    const out = await client.post('/dashboard/logout', { _csrf: token });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/dashboard/login');
    expect(client.cookies.has('lt_session')).toBe(false);
    expect((await client.get('/dashboard')).status).toBe(303);
  });

  it('shows a read-only key everything but no sales buttons', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, { key: TEST_READ_KEY });
    const page = await client.html('/dashboard');
    expect(page).toContain('read-only');
    expect((await client.get('/dashboard/overview')).status).toBe(200);
  });

  it('refuses further sign-ins from a client after 10 failures, even with the right key', async () => {
    const other = await startCollector({ clock });
    try {
      const client = dashboardClient(other.url);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++)
        statuses.push((await signIn(client, { key: `sk_wrong_${i}_0123456789abcdef` })).status);
      expect(statuses.every((s) => s === 401)).toBe(true);
      const blocked = await signIn(client, { key: TEST_ADMIN_KEY });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      clock.advance(10 * 60_000);
      expect((await signIn(client, { key: TEST_ADMIN_KEY })).status).toBe(303);
    } finally {
      clock.set(Date.parse('2025-06-02T10:00:00Z'));
      await other.close();
    }
  });
});
