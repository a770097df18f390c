/**
 * A real collector for tests: real HTTP server on a random loopback port, real database — a
 * fresh SQLite file in a temp folder, or (db: 'postgres') a fresh schema in TEST_DATABASE_URL,
 * dropped on close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Config, type LoadConfigOptions, loadConfig } from '../../collector/config';
import { type RunningServer, type StartOptions, startServer } from '../../collector/server';

export const TEST_ADMIN_KEY = 'sk_test_admin_0123456789abcdef';
export const TEST_READ_KEY = 'sk_test_read_0123456789abcdef';
export const TEST_SITE = 'pk_test';

export type TestDb = 'sqlite' | 'postgres';

/** Databases the integration suites run against: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_DATABASES: TestDb[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestCollectorOptions extends StartOptions {
  db?: TestDb;
  /** Config file content; merged over a default with one site (TEST_SITE) and a read key. */
  file?: Record<string, unknown>;
  /** Extra origins allowed for TEST_SITE. */
  origins?: string[];
  env?: Record<string, string>;
}

export interface TestCollector extends RunningServer {
  adminKey: string;
  readKey: string;
  config: Config;
  dir: string;
  databaseUrl: string;
  /** Authorised GET/POST helpers against the API. */
  api(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
}

let counter = 0;

/** A new empty PostgreSQL schema; returns its name and a function that drops it. */
export async function createPgSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `lt_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

export function testConfigFile(options: TestCollectorOptions = {}): Record<string, unknown> {
  return {
    sites: [
      { key: TEST_SITE, name: 'Test site', origins: ['http://localhost:1', ...(options.origins ?? [])] },
    ],
    api_keys: [{ name: 'reader', key: TEST_READ_KEY, role: 'viewer' }],
    rate_limit: { per_site_per_minute: 0, per_ip_per_minute: 0 },
    ...(options.file ?? {}),
  };
}

export async function startCollector(options: TestCollectorOptions = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'leadtrail-test-'));
  let databaseUrl = join(dir, 'leadtrail.db');
  let dropSchema: (() => Promise<void>) | undefined;
  const database = { ...(options.database ?? {}) };
  if (options.db === 'postgres') {
    const created = await createPgSchema();
    databaseUrl = process.env.TEST_DATABASE_URL!;
    database.schema = created.schema;
    dropSchema = created.drop;
  }
  const loadOptions: LoadConfigOptions = {
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LEADTRAIL_ADMIN_KEY: TEST_ADMIN_KEY,
      LEADTRAIL_DATA_DIR: dir,
      ...(options.env ?? {}),
    },
    file: testConfigFile(options),
  };
  const config = loadConfig(loadOptions);
  const server = await startServer(config, { ...options, database });
  return {
    ...server,
    adminKey: TEST_ADMIN_KEY,
    readKey: TEST_READ_KEY,
    config,
    dir,
    databaseUrl,
    api(path, init = {}) {
      const { key = TEST_ADMIN_KEY, headers, ...rest } = init;
      return fetch(`${server.url}${path}`, {
        ...rest,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(headers ?? {}) },
      });
    },
    async close() {
      await server.close();
      await dropSchema?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
