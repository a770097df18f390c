/**
 * The write queue is bounded: above `max_pending` waiting requests the answer is 503 with
 * Retry-After (the script and Segment's libraries retry), and a request that waited longer than
 * `max_wait_ms` for its transaction is refused the same way and never written. Unit tests on the
 * writer, then a real collector whose database lock is held by another connection, with the
 * writer thread and inline.
 */
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../collector/config';
import { AppError } from '../../collector/errors';
import { createWriter } from '../../collector/ingest/writer/writer';
import { batchOf, pageView, postBatch } from '../helpers/events';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';

/** A writer whose transactions wait for `release()`; records which jobs were committed. */
function heldWriter(bounds: { maxPending: number; maxWaitMs: number }) {
  const committed: number[] = [];
  let release!: () => void;
  let held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const writer = createWriter<number, number>({
    transact: async (work) => {
      await held;
      return work(undefined as never);
    },
    commitGroup: async (_trx, jobs) => {
      committed.push(...jobs);
      return jobs;
    },
    sizeOf: () => 1,
    bounds,
  });
  return {
    writer,
    committed,
    release() {
      release();
      held = Promise.resolve();
    },
  };
}

const statusOf = (error: unknown) => (error instanceof AppError ? [error.status, error.retryAfter] : error);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the writer queue', () => {
  it('refuses a job beyond max_pending with a 503 and Retry-After, and commits the rest', async () => {
    const { writer, committed, release } = heldWriter({ maxPending: 3, maxWaitMs: 60_000 });
    const first = writer.submit(1);
    await nextTurn(); // job 1 is now in its (held) transaction
    const queued = [writer.submit(2), writer.submit(3), writer.submit(4)];
    const refused = await writer.submit(5).catch(statusOf);
    expect(refused).toEqual([503, expect.any(Number)]);
    expect((refused as number[])[1]).toBeGreaterThan(0);
    expect(writer.pending()).toBe(3);
    release();
    expect(await Promise.all([first, ...queued])).toEqual([1, 2, 3, 4]);
    expect(committed).toEqual([1, 2, 3, 4]);
  });

  it('refuses a job that waited past max_wait_ms, and never commits it', async () => {
    const { writer, committed, release } = heldWriter({ maxPending: 100, maxWaitMs: 100 });
    const first = writer.submit(1);
    await nextTurn();
    const started = Date.now();
    const late = await writer.submit(2).catch(statusOf);
    expect(late).toEqual([503, expect.any(Number)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(writer.pending()).toBe(0);
    release();
    expect(await first).toBe(1);
    await writer.drain();
    expect(committed).toEqual([1]);
  });
});

describe('write queue configuration', () => {
  const load = (env: Record<string, string>, file: Record<string, unknown> = {}) =>
    loadConfig({
      env: { LEADTRAIL_ADMIN_KEY: 'sk_test_admin_0123456789abcdef', ...env },
      file: { sites: [{ key: 'pk_test', origins: ['https://a.io'] }], ...file },
    });

  it('has defaults, reads the file, and lets the environment override it', () => {
    expect(load({}).writeQueue).toEqual({ maxPending: 10_000, maxWaitMs: 10_000 });
    expect(load({}, { write_queue: { max_pending: 50, max_wait_ms: 2000 } }).writeQueue).toEqual({
      maxPending: 50,
      maxWaitMs: 2000,
    });
    expect(
      load({ LEADTRAIL_WRITE_QUEUE_MAX_PENDING: '7', LEADTRAIL_WRITE_QUEUE_MAX_WAIT_MS: '300' }).writeQueue,
    ).toEqual({ maxPending: 7, maxWaitMs: 300 });
  });

  it.each([
    [{ LEADTRAIL_WRITE_QUEUE_MAX_PENDING: '0' }, {}, 'LEADTRAIL_WRITE_QUEUE_MAX_PENDING'],
    [{ LEADTRAIL_WRITE_QUEUE_MAX_WAIT_MS: '1.5' }, {}, 'LEADTRAIL_WRITE_QUEUE_MAX_WAIT_MS'],
    [{ LEADTRAIL_WRITE_QUEUE_MAX_PENDING: 'lots' }, {}, 'LEADTRAIL_WRITE_QUEUE_MAX_PENDING'],
    [{}, { write_queue: { max_pending: -1 } }, 'write_queue.max_pending'],
    [{}, { write_queue: { max_wait: 5 } }, 'write_queue'],
  ])('refuses a bad value, naming it (%o %o)', (env, file, field) => {
    expect(() => load(env, file)).toThrow(ConfigError);
    try {
      load(env, file);
    } catch (error) {
      expect((error as ConfigError).field).toBe(field);
    }
  });
});

/** Holds the write lock from another connection: SQLite's own, or a PostgreSQL table lock. */
async function holdLock(server: TestCollector, db: 'sqlite' | 'postgres'): Promise<() => Promise<void>> {
  if (db === 'sqlite') {
    const holder = new Database(server.databaseUrl);
    holder.exec('begin immediate');
    return async () => {
      holder.exec('commit');
      holder.close();
    };
  }
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
    server.services.db,
  );
  await client.query(`set search_path to ${rows[0]!.schema}`);
  await client.query('begin');
  await client.query('lock table events in exclusive mode');
  return async () => {
    await client.query('commit');
    await client.end();
  };
}

// SQLite commits in the writer thread; PostgreSQL inline on the request thread. (Inline SQLite
// waits for a lock synchronously, stopping the whole process, so no queue can answer meanwhile.)
const SETUPS = TEST_DATABASES.map((db) => [db, db === 'sqlite' ? 'thread' : 'inline'] as const);

describe.each(SETUPS)('a collector whose write lock is held elsewhere (%s, %s writer)', (db, writer) => {
  let server: TestCollector | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('answers 503 + Retry-After beyond max_pending and past max_wait_ms, and keeps exactly what it acknowledged', async () => {
    server = await startCollector({
      db,
      writer,
      database: { busyTimeoutMs: 5000 },
      env: { LEADTRAIL_WRITE_QUEUE_MAX_PENDING: '3', LEADTRAIL_WRITE_QUEUE_MAX_WAIT_MS: '800' },
    });
    const release = await holdLock(server, db);
    const released = new Promise<void>((resolve) => setTimeout(() => void release().then(resolve), 2000));

    const events = Array.from({ length: 12 }, (_, i) => pageView(`queue-${db}-${i}`, 'http://localhost:1/'));
    const started = Date.now();
    const answers = await Promise.all(
      events.map(async (event, i) => {
        // Spread over the first half second, so some wait in the queue and some find it full.
        await new Promise((resolve) => setTimeout(resolve, i * 40));
        const response = await postBatch(server!.url, batchOf([event]));
        return { id: event.id, status: response.status, retryAfter: response.headers.get('retry-after') };
      }),
    );
    const elapsed = Date.now() - started;
    await released;

    expect(answers.every((a) => a.status === 202 || a.status === 503)).toBe(true);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => Number(a.retryAfter) > 0)).toBe(true);
    // Nobody waited much past the lock: the refusals did not queue behind it.
    expect(elapsed).toBeLessThan(4500);

    const stored = await server.services.db.selectFrom('events').select('id').execute();
    const acknowledged = answers.filter((a) => a.status === 202).map((a) => a.id);
    expect(stored.map((r) => r.id).sort()).toEqual(acknowledged.sort());
    // Once the lock is gone, the retried batches land.
    for (const event of events) expect((await postBatch(server.url, batchOf([event]))).status).toBe(202);
    expect(await server.services.db.selectFrom('events').select('id').execute()).toHaveLength(events.length);
  });
});
