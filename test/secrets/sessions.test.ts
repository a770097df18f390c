/**
 * Sessions and passwords against a real collector (real HTTP, SQLite and PostgreSQL): sign-out ends
 * the session on the server, so a cookie copied before it no longer opens anything, on this
 * process or another one on the same database; dashboard passwords given as scrypt hashes sign
 * in (and plaintext ones still do).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../collector/config';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../collector/dashboard/password';
import type { RunningServer } from '../../collector/server';
import { csrfToken, dashboardClient, signIn } from '../dashboard/client';
import {
  startCollector,
  TEST_ADMIN_KEY,
  TEST_DATABASES,
  type TestCollector,
  testConfigFile,
} from '../helpers/server';
import { sameDatabase } from '../outbox/process';

const HASHED = { user: 'lena', password: 'a hashed secret phrase' };
const PLAIN = { user: 'maria', password: 'correct horse battery' };
let collector: TestCollector;

beforeAll(async () => {
  collector = await startCollector({
    file: {
      dashboard: {
        users: [
          { user: HASHED.user, password_hash: await hashPassword(HASHED.password) },
          { user: PLAIN.user, password: PLAIN.password, access: 'read' },
        ],
      },
    },
  });
});
afterAll(() => collector.close());

describe.each(TEST_DATABASES)('sign-out on %s', (db) => {
  let server: TestCollector;
  let other: RunningServer;
  beforeAll(async () => {
    server = await startCollector({ db });
    other = await sameDatabase(server); // a second collector process on the same database
  });
  afterAll(async () => {
    await other.close();
    await server.close();
  });
  const open = (base: string, cookie: string) =>
    fetch(`${base}/dashboard`, { headers: { cookie }, redirect: 'manual' });

  it('ends the session on the server: a copied cookie no longer works, here or on another process', async () => {
    const client = dashboardClient(server.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    const copied = `lt_session=${client.cookies.get('lt_session')}`;
    expect((await open(server.url, copied)).status).toBe(200);
    expect((await open(other.url, copied)).status).toBe(200);

    const token = csrfToken(await client.html('/dashboard'));
    expect((await client.post('/dashboard/logout', { _csrf: token })).status).toBe(303);

    const replay = await open(server.url, copied);
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toMatch(/^\/dashboard\/login/);
    expect((await open(other.url, copied)).status).toBe(303);
    // A POST with the copied cookie and its token is refused too (back to sign-in, nothing done).
    const post = await fetch(`${server.url}/dashboard/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: copied, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token }).toString(),
    });
    expect(post.headers.get('location')).toMatch(/^\/dashboard\/login/);
  });

  it('ends only that session: another session of the same key keeps working', async () => {
    const a = dashboardClient(server.url);
    const b = dashboardClient(server.url);
    await signIn(a, { key: TEST_ADMIN_KEY });
    await signIn(b, { key: TEST_ADMIN_KEY });
    await a.post('/dashboard/logout', { _csrf: csrfToken(await a.html('/dashboard')) });
    expect((await b.get('/dashboard')).status).toBe(200);
  });
});

describe('dashboard passwords as scrypt hashes', () => {
  it('signs in with the password whose hash is in the config, and refuses a wrong one', async () => {
    const client = dashboardClient(collector.url);
    expect((await signIn(client, { user: HASHED.user, password: 'a hashed secret phrasE' })).status).toBe(
      401,
    );
    expect((await signIn(client, { user: HASHED.user, password: HASHED.password })).status).toBe(303);
    expect(await client.html('/dashboard')).toContain(HASHED.user);
  });

  it('still signs in with a plaintext password', async () => {
    const client = dashboardClient(collector.url);
    expect((await signIn(client, PLAIN)).status).toBe(303);
    expect(await client.html('/dashboard')).toContain('read-only');
  });

  it('stores the documented format, salted: two hashes of one password differ and both verify', async () => {
    const [a, b] = [await hashPassword('same password'), await hashPassword('same password')];
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    for (const hash of [a, b]) {
      const parsed = parsePasswordHash(hash);
      if (typeof parsed === 'string') throw new Error(parsed);
      expect(await verifyPassword('same password', parsed)).toBe(true);
      expect(await verifyPassword('same passwore', parsed)).toBe(false);
    }
  });

  it('refuses a config with a malformed hash, absurd parameters, or both password and hash', async () => {
    const good = await hashPassword('some password');
    const load = (user: Record<string, unknown>) => {
      try {
        loadConfig({
          env: { LEADTRAIL_ADMIN_KEY: TEST_ADMIN_KEY, DATABASE_URL: ':memory:' },
          file: testConfigFile({ file: { dashboard: { users: [{ user: 'x', ...user }] } } }),
        });
        return 'ok';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(load({ password_hash: good })).toBe('ok');
    expect(load({ password_hash: 'sha256$abc' })).toMatch(
      /dashboard\.users\.0\.password_hash: must look like scrypt/,
    );
    expect(load({ password_hash: good.replace('$32768$', '$1073741824$') })).toMatch(/password_hash/);
    expect(load({ password_hash: good, password: 'some password' })).toMatch(
      /either password or password_hash/,
    );
    expect(load({})).toMatch(/either password or password_hash/);
  });
});

describe('npm run hash-password', () => {
  const cli = (input: string) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, '../../collector/cli/hash-password.ts')],
      {
        input,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );

  it('reads the password from stdin (one trailing newline dropped) and prints a hash that verifies', async () => {
    const run = cli('piped secret phrase\n');
    expect(run.status).toBe(0);
    const hash = run.stdout.trim();
    expect(run.stdout).not.toContain('piped secret phrase');
    const parsed = parsePasswordHash(hash);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(await verifyPassword('piped secret phrase', parsed)).toBe(true);
    expect(await verifyPassword('piped secret phrase\n', parsed)).toBe(false);
  });

  it('refuses a password shorter than the config accepts', () => {
    const run = cli('short');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/at least 8 characters/);
    expect(run.stdout).toBe('');
  });
});
