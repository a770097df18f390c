/**
 * What the collector prints at start, read from a real process: an admin key from
 * LEADTRAIL_ADMIN_KEY never appears (start-up output ends up in log collectors); a generated
 * demo key is printed once, on the start that made it, and not on the next; a plaintext
 * dashboard password is warned about, a hashed one is not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../collector/dashboard/password';
import { spawnCollector } from '../helpers/process';
import { TEST_SITE } from '../helpers/server';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadtrail-startup-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts, lets the banner and warnings flush, stops, and returns everything printed. */
async function outputOf(dir: string, options: { adminKey?: string; config?: Record<string, unknown> }) {
  const collector = await spawnCollector({
    dir,
    databaseUrl: join(dir, 'lt.db'),
    ...(options.config ? { config: options.config } : {}),
    env: { LEADTRAIL_ADMIN_KEY: options.adminKey ?? '' },
  });
  await fetch(`${collector.url}/healthz`);
  await new Promise((r) => setTimeout(r, 200));
  await collector.stop();
  return collector.output.join('\n');
}

describe('start-up output', () => {
  it('never prints an admin key that came from LEADTRAIL_ADMIN_KEY, nor any part of it', async () => {
    const key = 'sk_live_Zq8vN3xTt5WmRc2LpA7yHd';
    const output = await outputOf(tempDir(), { adminKey: key });
    expect(output).toContain('from LEADTRAIL_ADMIN_KEY');
    expect(output).not.toContain(key);
    expect(output).not.toContain(key.slice(8, 20));
  }, 60_000);

  it('prints a generated demo key once, on the start that generated it', async () => {
    const dir = tempDir();
    const first = await outputOf(dir, {});
    const key = readFileSync(join(dir, 'admin-key'), 'utf8').trim();
    expect(key).toMatch(/^sk_demo_/);
    expect(first).toContain(key);
    const second = await outputOf(dir, {});
    expect(second).toContain(join(dir, 'admin-key'));
    expect(second).not.toContain(key);
    expect(readFileSync(join(dir, 'admin-key'), 'utf8').trim()).toBe(key);
  }, 90_000);

  it('warns at start about a plaintext dashboard password, not about a hashed one', async () => {
    const sites = [{ key: TEST_SITE, origins: ['http://localhost:1'] }];
    const plain = await outputOf(tempDir(), {
      adminKey: 'sk_test_admin_0123456789abcdef',
      config: { sites, dashboard: { users: [{ user: 'maria', password: 'correct horse battery' }] } },
    });
    expect(plain).toMatch(/warning: dashboard password of maria is plaintext/);
    expect(plain).not.toContain('correct horse battery');
    const hashed = await outputOf(tempDir(), {
      adminKey: 'sk_test_admin_0123456789abcdef',
      config: {
        sites,
        dashboard: { users: [{ user: 'maria', password_hash: await hashPassword('correct horse battery') }] },
      },
    });
    expect(hashed).not.toMatch(/plaintext/);
  }, 90_000);
});
