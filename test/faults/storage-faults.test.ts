/**
 * Storage faults: the write lock held by someone else, and a full database. A 2xx is only ever
 * given for events that were written; otherwise 503 with Retry-After, and the collector
 * recovers by itself once the fault is gone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../collector/storage/database';
import { migrateToLatest } from '../../collector/storage/migrate';
import { batchOf, pageView, postBatch } from '../helpers/events';
import { spawnCollector } from '../helpers/process';
import { startCollector, TEST_SITE } from '../helpers/server';

const config = {
  sites: [{ key: TEST_SITE, origins: ['http://localhost:1'] }],
  rate_limit: { per_site_per_minute: 0, per_ip_per_minute: 0 },
};

describe('the database write lock held by another connection', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function withLockedCollector(busyTimeoutMs: number, holdMs: number) {
    const dir = mkdtempSync(join(tmpdir(), 'leadtrail-lock-'));
    dirs.push(dir);
    const databaseUrl = join(dir, 'lock.db');
    const collector = await spawnCollector({
      dir,
      databaseUrl,
      config,
      env: { LEADTRAIL_SQLITE_BUSY_TIMEOUT_MS: String(busyTimeoutMs) },
    });
    const holder = new Database(databaseUrl);
    holder.exec('begin immediate');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        holder.exec('commit');
        holder.close();
        resolve();
      }, holdMs),
    );
    return { collector, databaseUrl, released };
  }

  const storedIds = (databaseUrl: string, ids: string[]) => {
    const db = new Database(databaseUrl, { readonly: true });
    const rows = db
      .prepare(`select id from events where id in (${ids.map(() => '?').join(',')})`)
      .all(...ids) as { id: string }[];
    db.close();
    return rows.map((r) => r.id);
  };

  it('makes requests wait for a lock held 3 s, then succeed', async () => {
    const { collector, databaseUrl, released } = await withLockedCollector(6000, 3000);
    try {
      const event = pageView('anon-lock', 'http://localhost:1/');
      const started = Date.now();
      const response = await postBatch(collector.url, batchOf([event]));
      expect(response.status).toBe(202);
      expect(Date.now() - started).toBeGreaterThan(1500);
      await released;
      expect(storedIds(databaseUrl, [event.id])).toEqual([event.id]);
    } finally {
      await collector.stop();
    }
  }, 60_000);

  it('answers 503 with Retry-After past the busy timeout, and acknowledges nothing it did not write', async () => {
    const { collector, databaseUrl, released } = await withLockedCollector(1000, 4000);
    try {
      const event = pageView('anon-lock2', 'http://localhost:1/');
      const response = await postBatch(collector.url, batchOf([event]));
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      await released;
      expect(storedIds(databaseUrl, [event.id])).toEqual([]);
      // The lock is gone: the same batch, retried as the SDK would, now lands.
      expect((await postBatch(collector.url, batchOf([event]))).status).toBe(202);
      expect(storedIds(databaseUrl, [event.id])).toEqual([event.id]);
    } finally {
      await collector.stop();
    }
  }, 60_000);
});

// The limit is per connection, so it is set when the database is opened — on the request
// thread's connection and on the writer thread's alike. Space is freed by dropping a filler
// table made beforehand, as an operator would delete old data.
describe.each(['thread', 'inline'] as const)('a full database (%s writer)', (writer) => {
  it('answers 503, reports it on /healthz, and drains the retried events once space is freed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadtrail-full-'));
    const databaseUrl = join(dir, 'full.db');
    const setup = createDatabase(databaseUrl);
    await migrateToLatest(setup.db);
    await sql`create table filler (bytes blob)`.execute(setup.db);
    for (let i = 0; i < 50; i++) await sql`insert into filler values (randomblob(4000))`.execute(setup.db);
    const pages = Number(
      (await sql<{ page_count: number }>`pragma page_count`.execute(setup.db)).rows[0]!.page_count,
    );
    await setup.close();

    const server = await startCollector({
      writer,
      env: { DATABASE_URL: databaseUrl },
      database: { maxPageCount: pages + 2 },
    });
    try {
      const db = server.services.db;
      const acknowledged: string[] = [];
      const refused: ReturnType<typeof pageView>[][] = [];
      for (let i = 0; i < 60 && refused.length === 0; i++) {
        const events = Array.from({ length: 20 }, () =>
          pageView(`anon-full-${i}`, `http://localhost:1/${'p'.repeat(500)}`),
        );
        const response = await postBatch(server.url, batchOf(events));
        if (response.status === 202) acknowledged.push(...events.map((e) => e.id));
        else {
          expect(response.status).toBe(503);
          expect(response.headers.get('retry-after')).toBeTruthy();
          refused.push(events);
        }
      }
      expect(refused.length).toBe(1);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(503);
      expect(JSON.stringify(await health.json())).toMatch(/full/i);

      await sql`drop table filler`.execute(db);
      expect((await postBatch(server.url, batchOf(refused[0]!))).status).toBe(202);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const ids = [...acknowledged, ...refused[0]!.map((e) => e.id)];
      const stored = await db.selectFrom('events').select('id').where('id', 'in', ids).execute();
      expect(stored.length).toBe(ids.length);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
