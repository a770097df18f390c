/**
 * Rulesets in the database: the config's `scoring` seeds a version only when it is newer than the
 * newest stored; versions are read through the API; live scoring follows the database's live
 * version in every process — another instance on the same database, and the SQLite writer thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../collector/config';
import type { RequestContext } from '../../collector/ingest/types';
import { DEFAULT_RULESET, parseRuleset } from '../../collector/scoring/core/rules';
import { readLiveVersion } from '../../collector/scoring/live-rules';
import { addLiveVersion, listVersions } from '../../collector/scoring/versions';
import { createServices } from '../../collector/server';
import type { Services } from '../../collector/services';
import { writeTransaction } from '../../collector/storage/database';
import { BROWSER_UA, identifyEvent, trackEvent } from '../helpers/events';
import {
  createPgSchema,
  startCollector,
  TEST_ADMIN_KEY,
  TEST_DATABASES,
  testConfigFile,
} from '../helpers/server';
import { contactByEmail } from './live';

const withThreshold = (version: number, mql_threshold: number) => ({ version, mql_threshold });

describe.each(TEST_DATABASES)('ruleset versions in the database (%s)', (db) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** A database shared by every `open` of this test. */
  async function sharedDatabase() {
    const dir = mkdtempSync(join(tmpdir(), 'leadtrail-versions-'));
    let databaseUrl = join(dir, 'leadtrail.db');
    let schema: string | undefined;
    if (db === 'postgres') {
      const created = await createPgSchema();
      databaseUrl = process.env.TEST_DATABASE_URL!;
      schema = created.schema;
      cleanups.push(created.drop);
    }
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return async (scoring: unknown): Promise<Services> => {
      const config = loadConfig({
        env: { DATABASE_URL: databaseUrl, LEADTRAIL_ADMIN_KEY: TEST_ADMIN_KEY, LEADTRAIL_DATA_DIR: dir },
        file: testConfigFile({ file: { scoring } }),
      });
      const services = await createServices(config, { writer: 'inline', database: schema ? { schema } : {} });
      cleanups.push(() => services.database.close());
      return services;
    };
  }

  it('stores the config as a version only when it is newer than the newest stored', async () => {
    const open = await sharedDatabase();
    const first = await open(withThreshold(1, 50));
    expect(await listVersions(first.db)).toMatchObject([
      { version: 1, author: 'config', parent: null, live: true },
    ]);

    await open(withThreshold(3, 60));
    const afterBump = await listVersions(first.db);
    expect(afterBump.map((v) => [v.version, v.parent, v.live])).toEqual([
      [3, 1, true],
      [1, null, false],
    ]);

    // An older file (a stale deploy) stores nothing and changes nothing.
    const stale = await open(withThreshold(2, 10));
    expect(await listVersions(stale.db)).toEqual(afterBump);
    expect((await stale.rules.current(stale.db)).mql_threshold).toBe(60);
  });

  it('a publish made by one instance is used by the next group commit of another', async () => {
    const open = await sharedDatabase();
    const one = await open(withThreshold(1, 50));
    const two = await open(withThreshold(1, 50));
    const ingest = (services: Services, email: string, events: ReturnType<typeof trackEvent>[]) => {
      const now = Date.now();
      const ctx: RequestContext = {
        site: services.config.sites[0]!,
        receivedAt: now,
        ip: '203.0.113.7',
        userAgent: BROWSER_UA,
        sentAt: now,
      };
      return services.ingest([identifyEvent(email, email), ...events], ctx);
    };
    // 5 (business mail) + 10 (download) = 15: a lead under v1.
    await ingest(two, 'before@acme.com', [trackEvent('before@acme.com', 'download')]);
    const draft = parseRuleset({ ...DEFAULT_RULESET, mql_threshold: 10 });
    await writeTransaction(one.db, (trx) =>
      addLiveVersion(trx, draft, { author: 'ana', note: 'lower the bar', now: Date.now() }),
    );
    await ingest(two, 'after@acme.com', [trackEvent('after@acme.com', 'download')]);
    const row = await two.db
      .selectFrom('contacts')
      .select(['stage', 'ruleset_version'])
      .where('email', '=', 'after@acme.com')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ stage: 'mql', ruleset_version: 2 });
    const transition = await two.db
      .selectFrom('transitions')
      .select('ruleset_version')
      .where('to_stage', '=', 'mql')
      .executeTakeFirstOrThrow();
    expect(transition.ruleset_version).toBe(2);
    expect(await readLiveVersion(two.db)).toBe(2);
  });
});

describe('the rulesets API and the SQLite writer thread', () => {
  it('lists versions, shows one and the live one, and the writer thread scores under a new live version', async () => {
    const collector = await startCollector({ writer: 'thread', file: { scoring: { version: 4 } } });
    try {
      const versions = await (await collector.api('/api/rulesets', { key: collector.readKey })).json();
      expect(versions).toMatchObject({ versions: [{ version: 4, live: true, author: 'config' }] });
      const live = await (await collector.api('/api/rulesets/live', { key: collector.readKey })).json();
      expect(live).toMatchObject({ version: 4, ruleset: { version: 4, mql_threshold: 50 } });
      expect((await collector.api('/api/rulesets/9', { key: collector.readKey })).status).toBe(404);
      expect((await collector.api('/api/rulesets/x1', { key: collector.readKey })).status).toBe(404);

      await writeTransaction(collector.services.db, (trx) =>
        addLiveVersion(trx, parseRuleset({ ...DEFAULT_RULESET, mql_threshold: 10 }), {
          author: 'ana',
          note: 'lower the bar',
          now: Date.now(),
        }),
      );
      const v5 = await (await collector.api('/api/rulesets/5', { key: collector.readKey })).json();
      expect(v5).toMatchObject({ version: 5, parent: 4, author: 'ana', note: 'lower the bar', live: true });
      expect(collector.services.database.dialect).toBe('sqlite');
      const { postBatch } = await import('../helpers/events');
      const res = await postBatch(collector.url, {
        site: 'pk_test',
        sent_at: Date.now(),
        events: [identifyEvent('a1', 'thread@acme.com'), trackEvent('a1', 'download')],
      });
      expect(res.status).toBe(202);
      const contact = await contactByEmail(collector, 'thread@acme.com');
      expect([contact.stage, contact.ruleset_version]).toEqual(['mql', 5]);
    } finally {
      await collector.close();
    }
  });
});
