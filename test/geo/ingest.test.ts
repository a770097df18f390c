/**
 * Country and network at ingest, on a real collector behind a (trusted) proxy: events and the
 * contact carry them, a country fit rule changes the stored score, the hosting flag is set, and
 * the database file and its WAL hold no trace of the full addresses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmGeo } from '../../collector/geo/lookup';
import { batchOf, identifyEvent, pageView, postBatch } from '../helpers/events';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';

const GB_V4 = '81.2.69.142'; // Andrews & Arnold, GB
const IE_V6 = '2a00:1450:4001:82a::200e'; // Google, IE
const US_V4 = '24.0.0.1'; // Comcast, US

describe.each(TEST_DATABASES)('geo at ingest (%s)', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    // The tables load on the first public address; loading them here keeps that out of the tests' timings.
    warmGeo('full');
    server = await startCollector({
      db,
      file: {
        trust_proxy: true,
        scoring: {
          fit: [{ id: 'outside_markets', points: -20, geo: { country: { exists: true, not_in: ['US'] } } }],
        },
      },
    });
  }, 60_000);
  afterAll(() => server.close());

  const visit = async (ip: string, anon: string, email: string) => {
    const response = await postBatch(
      server.url,
      batchOf([pageView(anon, 'https://site.test/pricing'), identifyEvent(anon, email)]),
      { 'x-forwarded-for': ip },
    );
    expect(response.status).toBe(202);
    return server.services.db
      .selectFrom('contacts')
      .select(['score', 'fit', 'country', 'asn', 'net_org', 'net_kind'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
  };

  it('stores country and network on events and contacts, and a country rule moves the score', async () => {
    const gb = await visit(GB_V4, 'anon-geo-gb', 'ann@gb-example.co.uk');
    const us = await visit(US_V4, 'anon-geo-us', 'bob@us-example.com');
    expect(gb).toMatchObject({ country: 'GB', asn: 20712, net_kind: 'isp' });
    expect(us).toMatchObject({ country: 'US', asn: 7922, net_kind: 'isp' });
    expect(us.fit - gb.fit).toBe(20);
    expect(us.score - gb.score).toBe(20);
    const events = await server.services.db
      .selectFrom('events')
      .select(['ip', 'country', 'asn', 'net_org'])
      .where('anon', '=', 'anon-geo-gb')
      .execute();
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toMatchObject({ ip: '81.2.69.0', country: 'GB', asn: 20712 });
  });

  it('filters the lead feed by country, and names the field for a bad code', async () => {
    const emails = async (query: string) => {
      const response = await server.api(`/api/leads?stage=visitor,lead,mql,sql${query}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { leads: { email: string }[] }).leads.map((l) => l.email).sort();
    };
    expect(await emails('&country=gb')).toEqual(['ann@gb-example.co.uk']);
    expect(await emails('&country=GB,US')).toEqual(['ann@gb-example.co.uk', 'bob@us-example.com']);
    expect(await emails('&country=FR')).toEqual([]);
    const bad = await server.api('/api/leads?country=GBR');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('country');
  });

  it('flags hosting traffic and looks up IPv6', async () => {
    const ie = await visit(IE_V6, 'anon-geo-ie', 'cat@ie-example.ie');
    expect(ie).toMatchObject({ country: 'IE', asn: 15169, net_kind: 'hosting' });
    const event = await server.services.db
      .selectFrom('events')
      .select(['ip', 'flags'])
      .where('anon', '=', 'anon-geo-ie')
      .where('type', '=', 'page')
      .executeTakeFirstOrThrow();
    expect(event.ip).toBe('2a00:1450:4001::');
    expect(event.flags).toContain('hosting');
  });

  it('leaves no full address in any row, nor in the SQLite file or its WAL', async () => {
    const full = [GB_V4, IE_V6, US_V4];
    const rows = JSON.stringify(await server.services.db.selectFrom('events').selectAll().execute());
    for (const ip of full) expect(rows).not.toContain(ip);
    if (server.services.database.dialect !== 'sqlite') return;
    const bytes = [server.databaseUrl, `${server.databaseUrl}-wal`]
      .filter(existsSync)
      .map((p) => readFileSync(p));
    expect(bytes.length).toBeGreaterThan(0);
    for (const ip of full) for (const b of bytes) expect(b.includes(Buffer.from(ip))).toBe(false);
    // The truncated form is there: the check reads the right bytes.
    expect(bytes.some((b) => b.includes(Buffer.from('81.2.69.0')))).toBe(true);
  });
});
