/**
 * Two collector instances (each with its own connection pool and group-commit writer, as two
 * processes behind a load balancer would have) ingest for the same contacts at the same moment:
 * no points are lost and no transition is recorded twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { loadConfig } from '../../collector/config';
import type { RequestContext } from '../../collector/ingest/types';
import { createServices } from '../../collector/server';
import type { Services } from '../../collector/services';
import type { WireEvent } from '../../shared/events';
import { BROWSER_UA, identifyEvent, trackEvent } from '../helpers/events';
import { createPgSchema, TEST_ADMIN_KEY, TEST_DATABASES, testConfigFile } from '../helpers/server';

const NOW = Date.UTC(2025, 5, 15, 12);
const CONTACTS = 8;

describe.each(TEST_DATABASES)('two instances scoring one contact at once (%s)', (db) => {
  const clock = manualClock(NOW);
  let instances: Services[] = [];
  let cleanup: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadtrail-concurrency-'));
    let databaseUrl = join(dir, 'leadtrail.db');
    let schema: string | undefined;
    let drop = async () => {};
    if (db === 'postgres') {
      const created = await createPgSchema();
      databaseUrl = process.env.TEST_DATABASE_URL!;
      schema = created.schema;
      drop = created.drop;
    }
    const config = loadConfig({
      env: { DATABASE_URL: databaseUrl, LEADTRAIL_ADMIN_KEY: TEST_ADMIN_KEY, LEADTRAIL_DATA_DIR: dir },
      file: testConfigFile(),
    });
    const options = { clock, database: schema ? { schema } : {} };
    // One after the other: both run the (idempotent) migrations.
    instances = [await createServices(config, options), await createServices(config, options)];
    cleanup = async () => {
      for (const s of instances) await s.database.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterAll(async () => {
    await cleanup();
  });

  const ingest = (services: Services, events: WireEvent[]) => {
    const ctx: RequestContext = {
      site: services.config.sites[0]!,
      receivedAt: clock(),
      ip: '203.0.113.7',
      userAgent: BROWSER_UA,
      sentAt: clock(),
    };
    return services.ingest(events, ctx);
  };

  it('loses no points and records each transition once', async () => {
    const [one, two] = instances as [Services, Services];
    const people = Array.from({ length: CONTACTS }, (_, i) => ({
      anon: `anon-${i}`,
      email: `p${i}@acme-${i}.com`,
    }));
    // Every contact starts as a lead at 5 (business email) + 40 (download, form, chat email, chat message + 2).
    await Promise.all(
      people.map(({ anon, email }) =>
        ingest(one, [
          identifyEvent(anon, email, {}, { ts: NOW }),
          trackEvent(anon, 'download', {}, { ts: NOW }),
          trackEvent(anon, 'form_submit', {}, { ts: NOW }),
          trackEvent(anon, 'chat', { action: 'email' }, { ts: NOW }),
          trackEvent(anon, 'chat', { action: 'open' }, { ts: NOW }),
          trackEvent(anon, 'chat', { action: 'open' }, { ts: NOW }),
        ]),
      ),
    );
    const start = await one.db
      .selectFrom('contacts')
      .select(['email', 'stage', 'score'])
      .orderBy('email')
      .execute();
    expect(start.every((c) => c.stage === 'lead' && c.score === 45)).toBe(true);

    // Each instance alone would lift every contact over 50; both at once must add up, once.
    await Promise.all(
      people.flatMap(({ anon }) => [
        ingest(one, [trackEvent(anon, 'download', {}, { ts: NOW })]),
        ingest(two, [trackEvent(anon, 'chat', { action: 'email' }, { ts: NOW })]),
      ]),
    );

    const contacts = await two.db
      .selectFrom('contacts')
      .select(['id', 'stage', 'score', 'version'])
      .execute();
    expect(contacts).toHaveLength(CONTACTS);
    for (const contact of contacts) {
      expect(contact.score).toBe(65);
      expect(contact.stage).toBe('mql');
      const moves = await two.db
        .selectFrom('transitions')
        .select(['from_stage', 'to_stage'])
        .where('contact_id', '=', contact.id)
        .orderBy('id')
        .execute();
      expect(moves).toEqual([
        { from_stage: 'visitor', to_stage: 'lead' },
        { from_stage: 'lead', to_stage: 'mql' },
      ]);
    }
  });
});
