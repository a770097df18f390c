/**
 * The group commit on PostgreSQL makes a fixed number of round trips, however many requests
 * and contacts the group holds: every stage is one set-based statement, not one per contact.
 * Measured on the real pipeline and a real PostgreSQL schema; runs when TEST_DATABASE_URL is set.
 */

import { nanoid } from 'nanoid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../collector/config';
import { loadErasureHasher } from '../../collector/erasure-key';
import { commitGroup, createIngest, type IngestJob, type JobOutcome } from '../../collector/ingest/pipeline';
import type { Writer } from '../../collector/ingest/writer/writer';
import { Metrics } from '../../collector/metrics';
import type { ErasureHasher } from '../../collector/privacy';
import { createLiveRules } from '../../collector/scoring/live-rules';
import { createDatabase, type DatabaseHandle, writeTransaction } from '../../collector/storage/database';
import { migrateToLatest } from '../../collector/storage/migrate';
import { countRoundTrips } from '../../collector/storage/round-trips';
import type { WireEvent } from '../../shared/events';
import { BROWSER_UA, identifyEvent, pageView, trackEvent } from '../helpers/events';
import { createPgSchema, testConfigFile } from '../helpers/server';

const url = process.env.TEST_DATABASE_URL;
/**
 * BEGIN, erasures, duplicates, anonymous-id locks, new contacts and their ids, events, touch
 * (lock, write), score (lock, events, write), stages, ruleset, transitions, outbox, COMMIT.
 */
const MOST_ROUND_TRIPS = 17;

describe.skipIf(!url)('PostgreSQL round trips per group commit', () => {
  let schema: { schema: string; drop(): Promise<void> };
  let handle: DatabaseHandle;
  let config: Config;
  let erasure: ErasureHasher;
  const jobs: IngestJob[] = [];
  // Collects the jobs that requests hand to the writer, so the test decides what one group is.
  const capture: Writer<IngestJob, JobOutcome> = {
    mode: 'inline',
    submit: async (job) => {
      jobs.push(job);
      return { accepted: job.events.length, duplicates: 0, erased: [] };
    },
    drain: async () => undefined,
    pending: () => 0,
    lastError: () => null,
    close: async () => undefined,
  };

  beforeAll(async () => {
    schema = await createPgSchema();
    handle = createDatabase(url!, { schema: schema.schema });
    await migrateToLatest(handle.db);
    erasure = await loadErasureHasher(handle.db);
    config = loadConfig({
      env: { DATABASE_URL: url!, LEADTRAIL_ADMIN_KEY: 'sk_test_admin_0123456789abcdef' },
      file: testConfigFile({
        file: {
          webhooks: [
            { url: 'http://127.0.0.1:9/hook', secret: 'webhook-secret-0123456789', allow_private: true },
          ],
        },
      }),
    });
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
    await schema?.drop();
  });

  /** Commits one request per batch as a single group; returns its round trips and outcomes. */
  async function group(batches: WireEvent[][]) {
    jobs.length = 0;
    const clock = () => Date.now();
    const rules = createLiveRules(config.scoring);
    const ingest = createIngest({ config, clock, metrics: new Metrics(), erasure, rules }, capture);
    const ctx = { site: config.sites[0]!, receivedAt: Date.now(), ip: '203.0.113.9', userAgent: BROWSER_UA };
    for (const batch of batches) await ingest(batch, ctx);
    const commit = commitGroup({ config, clock, rules });
    const { result, trips } = await countRoundTrips(() =>
      writeTransaction(handle.db, (trx) => commit(trx, [...jobs])),
    );
    return { trips, outcomes: result };
  }

  const visit = (anon: string) => [
    pageView(anon, 'https://x.io/', { ref: 'https://www.google.com/' }),
    pageView(anon, 'https://x.io/pricing?utm_source=linkedin', { props: { pricing: true } }),
    trackEvent(anon, 'download', { file: 'guide.pdf' }),
  ];
  const anons = (n: number) => Array.from({ length: n }, () => `rt-${nanoid(8)}`);
  const countRows = async (table: 'transitions' | 'outbox') =>
    Number(
      (
        await handle.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('is the same for 1 and for 20 new visitors (contacts created)', async () => {
    const one = await group(anons(1).map(visit));
    const twenty = await group(anons(20).map(visit));
    expect(twenty.outcomes.map((o) => o.accepted)).toEqual(Array(20).fill(3));
    expect(one.trips).toBeGreaterThan(2);
    expect(twenty.trips).toBe(one.trips);
    expect(one.trips).toBeLessThanOrEqual(MOST_ROUND_TRIPS);
  });

  it('is the same for 1 and for 20 returning visitors, two requests each', async () => {
    const people = anons(21);
    await group(people.map(visit));
    const one = await group([visit(people[0]!), visit(people[0]!)]);
    const twenty = await group(people.slice(1).flatMap((anon) => [visit(anon), visit(anon)]));
    expect(twenty.outcomes).toHaveLength(40);
    expect(twenty.trips).toBe(one.trips);
    expect(one.trips).toBeLessThanOrEqual(MOST_ROUND_TRIPS);
  });

  it('is the same when 1 or 20 contacts change stage (transitions and webhooks included)', async () => {
    const people = anons(21);
    // Named in an earlier group: identify is per event, and is not what this measures.
    await group(
      people.map((anon, i) => [
        identifyEvent(anon, `buyer${i}.${anon}@acme-corp.io`, { name: 'B', title: 'VP Marketing' }),
      ]),
    );
    const qualify = (anon: string) => [
      ...visit(anon),
      pageView(anon, 'https://x.io/pricing', { props: { pricing: true } }),
      trackEvent(anon, 'demo_requested'),
    ];
    const before = await countRows('transitions');
    const one = await group([qualify(people[0]!)]);
    const afterOne = await countRows('transitions');
    const twenty = await group(people.slice(1).map(qualify));
    const afterTwenty = await countRows('transitions');
    expect(afterOne - before).toBeGreaterThan(0);
    expect(afterTwenty - afterOne).toBe(20 * (afterOne - before));
    expect(await countRows('outbox')).toBeGreaterThan(0);
    expect(twenty.trips).toBe(one.trips);
    expect(one.trips).toBeLessThanOrEqual(MOST_ROUND_TRIPS);
  });
});
