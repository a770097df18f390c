/**
 * The storage layer's own view of its databases: errors raised by the real drivers are
 * classified by meaning (busy, full, connection lost, retryable conflict) without the caller
 * knowing which database raised them, and a row lock is `FOR UPDATE` only where the database
 * has it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, forUpdate } from '../../collector/storage/database';
import {
  isBusy,
  isConnectionLost,
  isDiskFull,
  isStorageUnavailable,
  isTransientConflict,
} from '../../collector/storage/errors';

const dir = mkdtempSync(join(tmpdir(), 'leadtrail-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `fn` throws (it must throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('SQLite errors', () => {
  it('a write lock held by another connection is busy, and unavailable', () => {
    const path = join(dir, 'busy.db');
    const holder = new SQLite(path);
    holder.pragma('journal_mode = WAL');
    holder.exec('create table t (id integer primary key)');
    const waiter = new SQLite(path, { timeout: 0 });
    try {
      holder.exec('begin immediate');
      const error = thrown(() => waiter.exec('begin immediate'));
      expect(isBusy(error)).toBe(true);
      expect(isStorageUnavailable(error)).toBe(true);
      expect(isDiskFull(error)).toBe(false);
      expect(isTransientConflict(error)).toBe(false);
    } finally {
      holder.close();
      waiter.close();
    }
  });

  it('a file at its page limit is full, and unavailable', () => {
    const db = new SQLite(join(dir, 'full.db'));
    try {
      db.exec('create table t (body text)');
      db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true })) + 2}`);
      const insert = db.prepare('insert into t values (?)');
      const error = thrown(() => {
        for (let i = 0; i < 100; i++) insert.run('x'.repeat(10_000));
      });
      expect(isDiskFull(error)).toBe(true);
      expect(isStorageUnavailable(error)).toBe(true);
      expect(isBusy(error)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('a unique-key race is a transient conflict, not an outage', () => {
    const db = new SQLite(':memory:');
    try {
      db.exec('create table t (id text unique)');
      db.exec("insert into t values ('a')");
      const error = thrown(() => db.exec("insert into t values ('a')"));
      expect(isTransientConflict(error)).toBe(true);
      expect(isStorageUnavailable(error)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('an ordinary bug is neither', () => {
    const db = new SQLite(':memory:');
    try {
      const error = thrown(() => db.exec('select * from no_such_table'));
      expect(isStorageUnavailable(error)).toBe(false);
      expect(isTransientConflict(error)).toBe(false);
      expect(isStorageUnavailable(new Error('boom'))).toBe(false);
      expect(isStorageUnavailable(null)).toBe(false);
    } finally {
      db.close();
    }
  });
});

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('PostgreSQL errors', () => {
  it('a connection terminated by the server is lost, and unavailable', async () => {
    const victim = new pg.Client({ connectionString: url });
    const killer = new pg.Client({ connectionString: url });
    victim.on('error', () => undefined);
    await victim.connect();
    await killer.connect();
    try {
      const pid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const running = rejected(victim.query('select pg_sleep(10)'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await killer.query('select pg_terminate_backend($1)', [pid]);
      const error = await running;
      expect(isConnectionLost(error)).toBe(true);
      expect(isStorageUnavailable(error)).toBe(true);
      expect(isTransientConflict(error)).toBe(false);
    } finally {
      await killer.end();
      await victim.end().catch(() => undefined);
    }
  });

  it('a unique-key race is a transient conflict, not an outage', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('create temporary table t (id text primary key)');
      await client.query("insert into t values ('a')");
      const error = await rejected(client.query("insert into t values ('a')"));
      expect(isTransientConflict(error)).toBe(true);
      expect(isStorageUnavailable(error)).toBe(false);
    } finally {
      await client.end();
    }
  });
});

describe('forUpdate', () => {
  const lockQuery = (handle: ReturnType<typeof createDatabase>) =>
    forUpdate(handle.db, handle.db.selectFrom('contacts').select('id').where('id', '=', 'c1'))
      .compile()
      .sql.toLowerCase();

  it('locks rows on PostgreSQL and leaves SQLite (one writer at a time) without the syntax', async () => {
    const postgres = createDatabase('postgres://nobody@127.0.0.1:1/none');
    const sqlite = createDatabase(':memory:');
    try {
      expect(lockQuery(postgres)).toMatch(/ for update$/);
      expect(lockQuery(sqlite)).not.toMatch(/for update/);
    } finally {
      await postgres.close();
      await sqlite.close();
    }
  });
});
