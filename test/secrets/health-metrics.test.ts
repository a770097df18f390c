/**
 * `/metrics` behind a bearer token, its database gauges cached instead of a GROUP BY per
 * scrape, and `/healthz` that reports a reason code and never the database's own error text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app';
import { Metrics } from '../../collector/metrics';
import { createDatabase } from '../../collector/storage/database';
import { startCollector, type TestCollector } from '../helpers/server';

const TOKEN = 'metrics-token-0123456789';
let server: TestCollector;

beforeAll(async () => {
  server = await startCollector({ file: { metrics: { token: TOKEN, cache_seconds: 60 } } });
});
const after: (() => Promise<void>)[] = [];
afterAll(async () => {
  await server.close();
  for (const close of after) await close();
});

const contactsGauge = (text: string, stage: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`leadtrail_contacts{stage="${stage}"} `))
      ?.split(' ')[1],
  );

describe('/metrics protection', () => {
  it('answers 401 without the token, with a wrong one, or with an API key; 200 with the token', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0123456789',
      `Bearer ${server.adminKey}`,
      TOKEN,
    ]) {
      const response = await fetch(`${server.url}/metrics`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.text()).not.toContain('leadtrail_');
    }
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('leadtrail_write_queue_depth');
  });

  it('reuses the database gauges for the cache time instead of querying per scrape', async () => {
    // A collector of its own, so no earlier scrape has filled the cache.
    const cached = await startCollector({ file: { metrics: { cache_seconds: 60 } } });
    after.push(() => cached.close());
    const scrape = async () => (await fetch(`${cached.url}/metrics`)).text();
    const insert = (id: string) =>
      cached.services.db
        .insertInto('contacts')
        .values({
          id,
          site: 'pk_test',
          traits: '{}',
          stage: 'lead',
          score: 0,
          fit: 0,
          engagement: 0,
          first_seen: 0,
          last_seen: 0,
          stage_changed_at: 0,
          verified: 0,
          created_at: 0,
          updated_at: 0,
          version: 0,
        })
        .execute();
    await insert('c-cache-1');
    const first = await scrape();
    expect(contactsGauge(first, 'lead')).toBeGreaterThanOrEqual(1);
    await insert('c-cache-2');
    const second = await scrape();
    expect(contactsGauge(second, 'lead')).toBe(contactsGauge(first, 'lead'));
  });
});

describe('Metrics gauge cache', () => {
  it('runs a cached gauge once per cache period, shares it between concurrent scrapes, retries a failure', async () => {
    let now = 0;
    let calls = 0;
    let fail = false;
    const metrics = new Metrics(5000, () => now);
    metrics.gauge(
      'g',
      'a cached gauge',
      async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 20));
        if (fail) throw new Error('down');
        return calls;
      },
      { cached: true },
    );
    metrics.gauge('live', 'not cached', () => calls * 10);
    const [a, b] = await Promise.all([metrics.render(), metrics.render()]);
    expect(calls).toBe(1);
    expect(a).toContain('g 1');
    expect(b).toContain('g 1');
    now = 4999;
    expect(await metrics.render()).toContain('g 1');
    expect(calls).toBe(1);
    now = 5000;
    fail = true;
    expect(await metrics.render()).not.toMatch(/^g /m);
    fail = false;
    now = 5001; // a failed query is not cached: asked again at once
    expect(await metrics.render()).toContain('g 3');
    expect(await metrics.render()).toContain('live 30');
  });
});

describe('/healthz', () => {
  it('gives a reason, not the driver message, when writes fail', async () => {
    const raw = 'SQLITE_FULL: database or disk is full (/srv/secret-volume/leadtrail.db)';
    const app = createApp({
      ...server.services,
      writer: { ...server.services.writer, lastError: () => ({ message: raw, code: 'SQLITE_FULL', at: 1 }) },
    });
    const response = await app.request('http://x/healthz');
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'unavailable', reason: 'storage_full' });
    expect(text).toMatch(/full/);
    expect(text).not.toContain('secret-volume');
    expect(text).not.toContain('database or disk is full');
  });

  it('gives a reason, not the connection error, when the database cannot be reached', async () => {
    const unreachable = createDatabase('postgres://leadtrail:hunter2@127.0.0.1:1/leads');
    try {
      const app = createApp({ ...server.services, db: unreachable.db, database: unreachable });
      const response = await app.request('http://x/healthz');
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ status: 'unavailable', reason: 'database_unreachable' });
      expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|hunter2/);
    } finally {
      await unreachable.close();
    }
  });
});
