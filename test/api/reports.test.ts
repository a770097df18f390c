/**
 * Reports over a hand-built month whose every number is worked out in the comments: the funnel
 * cohort and its medians, first/last/linear attribution, sources and channels, top pages,
 * downloads, pricing visits and bounce rate — with bot traffic present and never counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEventRow } from '../../collector/storage/schema';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { insertContact, insertEvent } from './seed';

const D = (day: number, hour = 12, month = 2) => Date.UTC(2025, month, day, hour);
const DAY = 86_400_000;
const MARCH = 'from=2025-03-01&to=2025-03-31';

describe.each(TEST_DATABASES)('reports on %s', (db) => {
  let server: TestCollector;

  beforeAll(async () => {
    server = await startCollector({ db });
    const k = server.services.db;
    const page = (contact_id: string, ts: number, fields: Partial<NewEventRow> = {}) =>
      insertEvent(k, { contact_id, ts, type: 'page', path: '/', ...fields });
    const identify = (contact_id: string, ts: number) =>
      insertEvent(k, { contact_id, ts, type: 'identify', user: `${contact_id}@corp.test` });

    // v1: an anonymous visitor from search; one page view (a bounce).
    await insertContact(k, {
      id: 'v1',
      stage: 'visitor',
      first_seen: D(2),
      source: 'www.google.com',
      medium: 'search',
    });
    await page('v1', D(2), {
      session: 'v1-s',
      ref: 'https://www.google.com/',
      ref_kind: 'search',
      path: '/blog/a',
    });
    // v2: seen only through bot events: not in any report.
    await insertContact(k, { id: 'v2', stage: 'visitor', first_seen: D(4), source: 'bot', medium: 'bot' });
    await page('v2', D(4), { session: 'v2-s', bot: 1, path: '/bot-page', props: '{"pricing":true}' });
    await page('v2', D(4, 13), { session: 'v2-s', bot: 1, path: '/bot-page' });

    // l1: lead from a LinkedIn campaign; two pages and a pricing view in one session.
    await insertContact(k, {
      id: 'l1',
      email: 'l1@corp.test',
      first_seen: D(3, 10),
      source: 'linkedin',
      medium: 'social',
    });
    await page('l1', D(3, 10), {
      session: 'l1-a',
      ref_kind: 'social',
      utm_source: 'linkedin',
      utm_medium: 'social',
      utm_campaign: 'spring',
    });
    await page('l1', D(3, 10) + 60_000, {
      session: 'l1-a',
      ref_kind: 'internal',
      path: '/pricing',
      props: '{"pricing":true}',
    });
    await identify('l1', D(3, 11));

    // m1: paid search, then a newsletter visit, identified on day 8, MQL on day 9.
    await insertContact(k, {
      id: 'm1',
      email: 'm1@corp.test',
      stage: 'mql',
      first_seen: D(5),
      mql_at: D(9),
      source: 'google',
      medium: 'cpc',
    });
    await page('m1', D(5), {
      session: 'm1-b',
      ref_kind: 'paid',
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'brand',
    });
    await page('m1', D(5) + 60_000, {
      session: 'm1-b',
      ref_kind: 'internal',
      path: '/pricing',
      props: '{"pricing":true}',
    });
    await page('m1', D(8, 9), {
      session: 'm1-c',
      ref_kind: 'email',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'march',
    });
    await identify('m1', D(8, 10));
    await insertEvent(k, {
      contact_id: 'm1',
      ts: D(8, 11),
      type: 'track',
      name: 'download',
      props: '{"url":"/whitepaper.pdf"}',
    });
    // Bot noise on a real contact: never a page, a pricing view or a session.
    await page('m1', D(8, 12), { session: 'm1-bot', bot: 1, path: '/bot-page', props: '{"pricing":true}' });

    // s1: from a LinkedIn post (referrer only), demo request on day 12: SQL without MQL.
    await insertContact(k, {
      id: 's1',
      email: 's1@corp.test',
      stage: 'sql',
      first_seen: D(10),
      sql_at: D(12),
      source: 'www.linkedin.com',
      medium: 'social',
    });
    await page('s1', D(10), {
      session: 's1-d',
      ref: 'https://www.linkedin.com/feed',
      ref_kind: 'social',
      path: '/blog/a',
    });
    await identify('s1', D(10, 13));
    await insertEvent(k, {
      contact_id: 's1',
      ts: D(10, 14),
      type: 'track',
      name: 'download',
      props: '{"url":"/whitepaper.pdf"}',
    });
    await insertEvent(k, {
      contact_id: 's1',
      ts: D(10, 15),
      type: 'page',
      path: '/nested',
      session: null,
      props: '{"plan":{"pricing":true}}',
      ref_kind: 'internal',
    });

    // s2: direct visitor; MQL and SQL known only from transitions (columns left empty).
    await insertContact(k, {
      id: 's2',
      email: 's2@corp.test',
      stage: 'opportunity',
      first_seen: D(15),
      source: '(direct)',
      medium: '(none)',
    });
    await page('s2', D(15), { session: 's2-e', ref_kind: 'direct' });
    await identify('s2', D(15, 13));
    for (const [from_stage, to_stage, at] of [
      ['lead', 'mql', D(16)],
      ['mql', 'sql', D(20)],
    ] as const) {
      await k
        .insertInto('transitions')
        .values({
          contact_id: 's2',
          site: 'pk_test',
          from_stage,
          to_stage,
          reason: 't',
          event_ids: '[]',
          ruleset_version: 1,
          actor: 'auto',
          at,
        })
        .execute();
    }

    // old: first seen and identified in February (not in March's cohort), MQL on March 2.
    await insertContact(k, {
      id: 'old',
      email: 'old@corp.test',
      stage: 'mql',
      first_seen: D(1, 12, 1),
      mql_at: D(2),
      source: 'twitter',
      medium: 'social',
    });
    await page('old', D(1, 12, 1), {
      session: 'old-f',
      ref_kind: 'social',
      utm_source: 'twitter',
      utm_medium: 'social',
    });
    await identify('old', D(1, 13, 1));
  });
  afterAll(() => server?.close());

  const report = async (name: string, query = MARCH) => {
    const res = await server.api(`/api/reports/${name}?${query}`, { key: server.readKey });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  it('funnel: the March cohort, its conversion rates and median times', async () => {
    const funnel = await report('funnel');
    expect(funnel).toMatchObject({ from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' });
    // v1, l1, m1, s1, s2 (v2 is bot-only, old was first seen in February).
    expect(funnel.counts).toEqual({ visitors: 5, leads: 4, mqls: 3, sqls: 2 });
    expect(funnel.rates).toEqual({
      visitor_to_lead: 0.8,
      lead_to_mql: 0.75,
      mql_to_sql: 0.6667,
      visitor_to_sql: 0.4,
    });
    // To MQL: m1 4 d, s1 2 d (at its SQL), s2 1 d → 2 d. To SQL: s1 2 d, s2 5 d → 3.5 d.
    expect(funnel.median_ms).toEqual({ to_mql: 2 * DAY, to_sql: 3.5 * DAY });
  });

  it('attribution: first touch, last touch and linear over touches before each conversion', async () => {
    const { totals, models } = (await report('attribution')) as {
      totals: Record<string, number>;
      models: Record<
        string,
        {
          source: string;
          medium: string;
          campaign: string | null;
          leads: number;
          mqls: number;
          sqls: number;
        }[]
      >;
    };
    // Leads born in March: l1, m1, s1, s2. MQLs: m1, s1 (via SQL), s2, old. SQLs: s1, s2.
    expect(totals).toEqual({ leads: 4, mqls: 4, sqls: 2 });
    const row = (model: string, source: string, campaign?: string | null) => {
      const found = models[model]!.find(
        (r) => r.source === source && (campaign === undefined || r.campaign === campaign),
      );
      return found ? { leads: found.leads, mqls: found.mqls, sqls: found.sqls } : undefined;
    };
    expect(row('first_touch', 'google')).toEqual({ leads: 1, mqls: 1, sqls: 0 });
    expect(row('first_touch', 'newsletter')).toBeUndefined();
    expect(row('last_touch', 'newsletter')).toEqual({ leads: 1, mqls: 1, sqls: 0 });
    expect(row('last_touch', 'google')).toBeUndefined();
    expect(row('linear', 'google')).toEqual({ leads: 0.5, mqls: 0.5, sqls: 0 });
    expect(row('linear', 'newsletter')).toEqual({ leads: 0.5, mqls: 0.5, sqls: 0 });
    for (const model of ['first_touch', 'last_touch', 'linear']) {
      // l1's campaign visit and s1's referrer-only visit: one network name, two campaigns.
      expect(row(model, 'linkedin', 'spring'), model).toEqual({ leads: 1, mqls: 0, sqls: 0 });
      expect(row(model, 'linkedin', null), model).toEqual({ leads: 1, mqls: 1, sqls: 1 });
      expect(
        models[model]!.some((r) => r.source.startsWith('www.')),
        model,
      ).toBe(false);
      expect(row(model, '(direct)'), model).toEqual({ leads: 1, mqls: 1, sqls: 1 });
      expect(row(model, 'twitter'), model).toEqual({ leads: 0, mqls: 1, sqls: 0 });
      const sum = (key: 'leads' | 'mqls' | 'sqls') => models[model]!.reduce((n, r) => n + r[key], 0);
      expect([sum('leads'), sum('mqls'), sum('sqls')]).toEqual([4, 4, 2]);
    }
    expect(models.first_touch!.find((r) => r.campaign === 'spring')).toMatchObject({
      source: 'linkedin',
      medium: 'social',
      campaign: 'spring',
    });
  });

  it('sources: the cohort by first-touch source, and entrances by channel', async () => {
    const { sources, channels } = (await report('sources')) as {
      sources: {
        source: string;
        medium: string;
        visitors: number;
        leads: number;
        mqls: number;
        sqls: number;
      }[];
      channels: { channel: string; entrances: number }[];
    };
    // Stored as www.google.com / search and www.linkedin.com / social; read in network names.
    const named = (s: { source: string; medium: string }) => `${s.source} / ${s.medium}`;
    expect(sources.map(named).sort()).toEqual(
      ['(direct) / (none)', 'google / cpc', 'google / organic', 'linkedin / social'].sort(),
    );
    const find = (name: string) => sources.find((s) => named(s) === name);
    expect(find('google / cpc')).toMatchObject({ visitors: 1, leads: 1, mqls: 1, sqls: 0 });
    expect(find('google / organic')).toMatchObject({ visitors: 1, leads: 0 });
    // l1 (utm linkedin / social) and s1 (a post on www.linkedin.com) are one row.
    expect(find('linkedin / social')).toMatchObject({ visitors: 2, leads: 2, mqls: 1, sqls: 1 });
    const entrances = Object.fromEntries(channels.map((c) => [c.channel, c.entrances]));
    expect(entrances).toEqual({ search: 1, social: 2, paid: 1, email: 1, direct: 1 });
  });

  it('pages: top pages, downloads, pricing visits and bounce rate, without bots', async () => {
    const pages = (await report('pages', `${MARCH}&limit=3`)) as {
      top_pages: { path: string; views: number; visitors: number }[];
      downloads: { file: string; downloads: number; visitors: number }[];
      pricing: { views: number; visitors: number };
      sessions: number;
      bounced_sessions: number;
      bounce_rate: number;
    };
    expect(pages.top_pages).toEqual([
      { path: '/', views: 4, visitors: 3 },
      { path: '/blog/a', views: 2, visitors: 2 },
      { path: '/pricing', views: 2, visitors: 2 },
    ]);
    expect(pages.top_pages.some((p) => p.path === '/bot-page')).toBe(false);
    expect(pages.downloads).toEqual([{ file: '/whitepaper.pdf', downloads: 2, visitors: 2 }]);
    expect(pages.pricing).toEqual({ views: 2, visitors: 2 });
    // Sessions: v1-s, l1-a (2 views), m1-b (2), m1-c, s1-d, s2-e → 4 of 6 bounced.
    expect([pages.sessions, pages.bounced_sessions, pages.bounce_rate]).toEqual([6, 4, 0.6667]);
  });

  it('narrows by range: February alone', async () => {
    const funnel = await report('funnel', 'from=2025-02-01&to=2025-02-28');
    expect(funnel.counts).toEqual({ visitors: 1, leads: 1, mqls: 1, sqls: 0 });
    const ms = await report('funnel', `from=${Date.UTC(2025, 2, 5)}&to=${Date.UTC(2025, 2, 10)}`);
    // First seen from March 5 up to (not including) March 10: m1 only.
    expect(ms.counts).toEqual({ visitors: 1, leads: 1, mqls: 1, sqls: 0 });
    const iso = await report('funnel', 'from=2025-03-10T00:00:00Z&to=2025-03-15T12:00:01.000Z');
    expect(iso.counts).toEqual({ visitors: 2, leads: 2, mqls: 2, sqls: 2 });
  });

  it.each([
    ['from=yesterday', 'from'],
    ['to=2025-13-45', 'to'],
    ['from=2025-03-10&to=2025-03-01', 'from'],
    ['days=7', 'days'],
  ])('refuses %s naming %s', async (query, field) => {
    const res = await server.api(`/api/reports/funnel?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  });
});
