/**
 * A publish while events keep arriving, with two collector instances on one database (two
 * processes behind a load balancer): one publishes and re-scores in the background, the other
 * ingests throughout. Afterwards every contact's score equals a full rescore under the new
 * version (no points lost), and no transition or webhook is recorded twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { loadConfig } from '../../collector/config';
import type { RequestContext } from '../../collector/ingest/types';
import { DEFAULT_RULESET, parseRuleset } from '../../collector/scoring/core/rules';
import { score } from '../../collector/scoring/core/score';
import { publishRuleset } from '../../collector/scoring/publish';
import { profileOf, SCORING_COLUMNS, scoringEventOf } from '../../collector/scoring/rows';
import { createServices } from '../../collector/server';
import type { Services } from '../../collector/services';
import type { WireEvent } from '../../shared/events';
import { BROWSER_UA, identifyEvent, trackEvent } from '../helpers/events';
import { createPgSchema, TEST_ADMIN_KEY, TEST_DATABASES, testConfigFile } from '../helpers/server';

const NOW = Date.UTC(2025, 5, 15, 12);
const PEOPLE = 40;

describe.each(TEST_DATABASES)('publish during ingestion, two instances (%s)', (db) => {
  const clock = manualClock(NOW);
  let instances: Services[] = [];
  let cleanup: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadtrail-publish-'));
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
      file: testConfigFile({
        file: {
          webhooks: [{ url: 'http://127.0.0.1:9/hook', secret: 'a webhook secret 123', allow_private: true }],
        },
      }),
    });
    const options = { clock, database: schema ? { schema } : {} };
    instances = [await createServices(config, options), await createServices(config, options)];
    cleanup = async () => {
      for (const s of instances) {
        await s.rescorer.stop();
        await s.database.close();
      }
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

  it('loses no points and doubles no transition or webhook', async () => {
    const [publisher, ingester] = instances as [Services, Services];
    const people = Array.from({ length: PEOPLE }, (_, i) => ({
      anon: `anon-${i}`,
      email: `p${i}@acme-${i}.com`,
    }));
    // Everyone a lead at 5 (business email) + 10 (a download) = 15.
    for (const { anon, email } of people) {
      await ingest(ingester, [
        identifyEvent(anon, email, {}, { ts: NOW }),
        trackEvent(anon, 'download', {}, { ts: NOW }),
      ]);
    }
    // v2: a download is worth 40, so each download's owner (5 + 40 = 45) plus one more download
    // event crosses 50 — some of it through the publish's rescore, some through live ingestion.
    const v2 = parseRuleset({
      ...DEFAULT_RULESET,
      engagement: DEFAULT_RULESET.engagement.map((r) => (r.id === 'download' ? { ...r, points: 40 } : r)),
    });
    const traffic = Promise.all(
      people.map(({ anon }, i) =>
        // Stagger the requests so that some commit before, some during and some after the publish.
        new Promise((resolve) => setTimeout(resolve, i * 3)).then(() =>
          ingest(ingester, [trackEvent(anon, 'download', {}, { ts: NOW })]),
        ),
      ),
    );
    const entry = await publishRuleset(publisher, {
      rules: v2,
      actor: 'ana',
      note: 'downloads count more',
      action: 'publish',
      summary: null,
    });
    await traffic;
    await publisher.rescorer.idle();
    expect(entry.version).toBe(2);

    const { db: kdb } = ingester;
    const contacts = await kdb
      .selectFrom('contacts')
      .select(['id', 'email', 'user_id', 'traits', 'score', 'stage', 'ruleset_version'])
      .execute();
    expect(contacts).toHaveLength(PEOPLE);
    for (const contact of contacts) {
      const events = (
        await kdb.selectFrom('events').select(SCORING_COLUMNS).where('contact_id', '=', contact.id).execute()
      ).map(scoringEventOf);
      expect(events).toHaveLength(3);
      const expected = score(events, profileOf(contact), v2, NOW);
      expect([contact.score, contact.ruleset_version, contact.stage]).toEqual([expected.total, 2, 'mql']);
      const moves = await kdb
        .selectFrom('transitions')
        .select(['to_stage', 'ruleset_version'])
        .where('contact_id', '=', contact.id)
        .orderBy('id')
        .execute();
      expect(moves).toEqual([
        { to_stage: 'lead', ruleset_version: 1 },
        { to_stage: 'mql', ruleset_version: 2 },
      ]);
      const mqlWebhooks = await kdb
        .selectFrom('outbox')
        .select('id')
        .where('contact_id', '=', contact.id)
        .where('event', '=', 'contact.mql')
        .execute();
      expect(mqlWebhooks).toHaveLength(1);
    }
  });
});
