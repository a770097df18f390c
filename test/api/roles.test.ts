/**
 * Roles on the server: each route checks the caller's role, whatever the dashboard shows. A
 * viewer reads; sales also move stages; editors draft and preview rules; admins publish, roll
 * back and erase. Legacy `access` values map to viewer and admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../collector/config';
import { ROLES, type Role } from '../../collector/roles';
import { ROLE_KEYS, roleKeyEntries } from '../helpers/roles';
import { startCollector, TEST_SITE, type TestCollector } from '../helpers/server';
import { insertContact } from './seed';

describe('roles in the config', () => {
  const load = (api_keys: unknown[], users: unknown[] = []) =>
    loadConfig({
      env: { LEADTRAIL_ADMIN_KEY: 'sk_admin_0123456789abcdef', LEADTRAIL_DATA_DIR: '/tmp' },
      file: {
        sites: [{ key: TEST_SITE, origins: ['http://localhost:1'] }],
        api_keys,
        dashboard: { users },
      },
    });

  it('maps read → viewer and full → admin, takes role as given, defaults users to sales', () => {
    const config = load(
      [
        { name: 'r', key: 'sk_r_0123456789abcdef', access: 'read' },
        { name: 'f', key: 'sk_f_0123456789abcdef', access: 'full' },
        { name: 'e', key: 'sk_e_0123456789abcdef', role: 'editor' },
      ],
      [
        { user: 'sam', password: 'long enough' },
        { user: 'eve', password: 'long enough', role: 'editor' },
        { user: 'old', password: 'long enough', access: 'read' },
      ],
    );
    expect(config.apiKeys.map((k) => [k.name, k.role])).toEqual([
      ['admin', 'admin'],
      ['r', 'viewer'],
      ['f', 'admin'],
      ['e', 'editor'],
    ]);
    expect(config.dashboardUsers.map((u) => [u.user, u.role])).toEqual([
      ['sam', 'sales'],
      ['eve', 'editor'],
      ['old', 'viewer'],
    ]);
  });

  it('refuses an unknown role, both role and access, and a key with neither, naming the field', () => {
    expect(() => load([{ name: 'x', key: 'sk_x_0123456789abcdef', role: 'owner' }])).toThrow(
      /api_keys\.0\.role/,
    );
    expect(() => load([{ name: 'x', key: 'sk_x_0123456789abcdef', role: 'admin', access: 'read' }])).toThrow(
      /api_keys\.0\.role: give either role or access/,
    );
    expect(() => load([{ name: 'x', key: 'sk_x_0123456789abcdef' }])).toThrow(
      /api_keys\.0\.role: is required/,
    );
  });
});

describe('each role gets 403 where it must (stage moves, erasure)', () => {
  let server: TestCollector;

  beforeAll(async () => {
    server = await startCollector({ file: { api_keys: roleKeyEntries() } });
    for (const id of ['c1', 'c2', 'c3', 'c4']) {
      await insertContact(server.services.db, {
        id,
        email: `${id}@acme.com`,
        domain: 'acme.com',
        stage: 'lead',
      });
    }
  });
  afterAll(() => server?.close());

  const stage = async (role: Role, id: string) =>
    (
      await server.api(`/api/contacts/${id}/stage`, {
        method: 'POST',
        key: ROLE_KEYS[role],
        body: JSON.stringify({ stage: 'accept' }),
      })
    ).status;
  const erase = async (role: Role, id: string) =>
    (await server.api(`/api/contacts/${id}`, { method: 'DELETE', key: ROLE_KEYS[role] })).status;
  const stageOf = async (id: string) =>
    (await server.services.db.selectFrom('contacts').select('stage').where('id', '=', id).executeTakeFirst())
      ?.stage;

  it('every role reads', async () => {
    for (const role of ROLES) {
      expect((await server.api('/api/leads', { key: ROLE_KEYS[role] })).status, role).toBe(200);
    }
  });

  it('viewer and editor cannot move stages; sales and admin can', async () => {
    expect(await stage('viewer', 'c1')).toBe(403);
    expect(await stage('editor', 'c1')).toBe(403);
    expect(await stageOf('c1')).toBe('lead');
    expect(await stage('sales', 'c1')).toBe(200);
    expect(await stage('admin', 'c2')).toBe(200);
    expect(await stageOf('c1')).toBe('sal');
  });

  it('only admin erases', async () => {
    for (const role of ['viewer', 'sales', 'editor'] as const)
      expect(await erase(role, 'c3'), role).toBe(403);
    expect(await stageOf('c3')).toBe('lead');
    expect(await erase('admin', 'c3')).toBe(200);
  });

  it('a 403 names the role and what it may not do', async () => {
    const res = await server.api('/api/contacts/c4/stage', {
      method: 'POST',
      key: ROLE_KEYS.editor,
      body: JSON.stringify({ stage: 'accept' }),
    });
    expect(await res.json()).toMatchObject({
      error: { code: 'forbidden', message: expect.stringMatching(/role editor.*move stages/) },
    });
  });
});
