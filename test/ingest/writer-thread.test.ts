/**
 * The writer thread: chosen for SQLite files (and only there), its commits visible to the
 * request thread's connection the moment a request is answered, its errors arriving with their
 * codes, and a thread that dies failing only what it held, then replaced by the next job.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { loadConfig } from '../../collector/config';
import { enrich } from '../../collector/ingest/enrich';
import { erasureHashes, type IngestJob } from '../../collector/ingest/pipeline';
import { createThreadWriter, spawnWriterThread } from '../../collector/ingest/writer/thread';
import { createErasureHasher } from '../../collector/privacy';
import { createDatabase } from '../../collector/storage/database';
import { migrateToLatest } from '../../collector/storage/migrate';
import { BROWSER_UA, batchOf, identifyEvent, pageView, postBatch } from '../helpers/events';
import { startCollector, TEST_SITE, testConfigFile } from '../helpers/server';

describe('which writer a collector uses', () => {
  it('a SQLite file gets the writer thread, and /healthz says so', async () => {
    const server = await startCollector({ workers: false });
    try {
      expect(server.services.writer.mode).toBe('thread');
      expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ writer: 'thread' });
    } finally {
      await server.close();
    }
  });

  it('an injected clock (which a thread cannot share) or LEADTRAIL_WRITER=inline keeps commits inline', async () => {
    for (const options of [{ clock: manualClock() }, { env: { LEADTRAIL_WRITER: 'inline' } }]) {
      const server = await startCollector({ workers: false, ...options });
      try {
        expect(server.services.writer.mode).toBe('inline');
      } finally {
        await server.close();
      }
    }
  });

  it('refuses any other LEADTRAIL_WRITER, naming it', () => {
    expect(() =>
      loadConfig({
        env: { LEADTRAIL_WRITER: 'threads', LEADTRAIL_ADMIN_KEY: 'sk_test_admin_0123456789abcdef' },
      }),
    ).toThrow(/LEADTRAIL_WRITER.*thread or inline/);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL commits inline', async () => {
    const server = await startCollector({ db: 'postgres', workers: false });
    try {
      expect(server.services.writer.mode).toBe('inline');
    } finally {
      await server.close();
    }
  });

  it('answers only after the commit: the request thread reads what it was told is stored', async () => {
    const server = await startCollector({ workers: false });
    try {
      const visit = pageView('anon-thread', 'http://localhost:1/pricing');
      const identify = identifyEvent('anon-thread', 'grace@hopper-systems.com');
      expect((await postBatch(server.url, batchOf([visit, identify]))).status).toBe(202);
      const contact = await server.services.db
        .selectFrom('contacts')
        .select(['id', 'stage'])
        .where('email', '=', 'grace@hopper-systems.com')
        .executeTakeFirstOrThrow();
      expect(contact.stage).toBe('lead');
      const events = await server.services.db
        .selectFrom('events')
        .select('contact_id')
        .where('id', 'in', [visit.id, identify.id])
        .execute();
      expect(events.map((e) => e.contact_id)).toEqual([contact.id, contact.id]);
    } finally {
      await server.close();
    }
  });
});

describe('a writer thread that dies', () => {
  let dir: string;
  let databaseUrl: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrail-thread-'));
    databaseUrl = join(dir, 'thread.db');
    const setup = createDatabase(databaseUrl);
    await migrateToLatest(setup.db);
    await setup.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = () =>
    loadConfig({
      env: { DATABASE_URL: databaseUrl, LEADTRAIL_ADMIN_KEY: 'sk_test_admin_0123456789abcdef' },
      file: testConfigFile(),
    });

  function job(anon: string): IngestJob {
    const site = config().sites[0]!;
    const ctx = { site, receivedAt: Date.now(), ip: '203.0.113.9', userAgent: BROWSER_UA };
    const events = [pageView(anon, 'http://localhost:1/')].map((event) => {
      const result = enrich(event, ctx);
      if (!result.ok) throw new Error('not enriched');
      return result.event;
    });
    const hasher = createErasureHasher(Buffer.alloc(32, 7), false);
    return { site: TEST_SITE, events, hashes: erasureHashes(hasher, TEST_SITE, events) };
  }

  it('fails what it held, reports it, and the next job starts a new thread', async () => {
    const threads: Worker[] = [];
    const writer = await createThreadWriter(
      { databaseUrl, database: {}, config: config() },
      {
        spawn: async (data) => {
          const thread = await spawnWriterThread(data);
          threads.push(thread);
          return thread;
        },
      },
    );
    try {
      expect((await writer.submit(job('before'))).accepted).toBe(1);

      const held = writer.submit(job('in-flight')).then(
        () => 'committed',
        (error: { code?: string }) => error.code,
      );
      const died = new Promise((resolve) => threads[0]!.once('exit', resolve));
      await threads[0]!.terminate();
      await died;
      // Either it committed before the thread went, or it failed as retryable (never both).
      expect(['committed', 'WRITER_STOPPED']).toContain(await held);
      expect(writer.lastError()?.code).toBe('WRITER_STOPPED');

      expect((await writer.submit(job('after'))).accepted).toBe(1);
      expect(threads).toHaveLength(2);
      expect(writer.lastError()).toBeNull();
    } finally {
      await writer.close();
    }
  });
});
