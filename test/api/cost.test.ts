/**
 * The cost report over a hand-built fortnight (2026-03-02 … 03-15) whose every figure is worked
 * out below, under all three attribution models; spend imported through the API as a Google
 * Ads export (USD), a LinkedIn export (one row in EUR at the configured rate) and generic JSON.
 *
 * Touches (session entry pages) and conversions:
 *   A  03-02 google/cpc/brand                 → lead 03-02, MQL 03-04, SQL 03-06, customer 03-10
 *   B  03-03 linkedin/paid_social/launch,
 *      03-05 www.google.com (organic)          → lead 03-05, MQL 03-07
 *   C  03-08 google/cpc/brand, 03-09 linkedin
 *      launch, 03-11 direct                    → lead 03-11, SQL 03-12 (MQL at the same moment), customer 03-14
 *   D  03-10 linkedin launch                  → lead 03-10
 * Spend in range: brand 100 + 200 = 300 USD (impressions 1,000 + 3,000, clicks 50 + 100);
 * launch 400 EUR × 1.1 = 440 + 60 USD = 500 (impressions 2,000 on the first row only, clicks 20 + 10);
 * facebook retarget 50 (500 impressions, 5 clicks), which no visit matches. 03-16 is out of range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftCost } from '../../collector/api/reports/draft-cost';
import { parseRuleset } from '../../collector/scoring/core/rules';
import type { NewEventRow } from '../../collector/storage/schema';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { insertContact, insertEvent } from './seed';

const T = (day: number, hour = 12) => Date.UTC(2026, 2, day, hour);
const RANGE = 'from=2026-03-02&to=2026-03-15';
const money = (n: number) => Math.round(n * 100) / 100;
const share = (n: number) => Math.round(n * 10_000) / 10_000;

const GOOGLE_ADS_CSV = [
  'Campaign report',
  '"March 2, 2026 - March 16, 2026"',
  'Day,Campaign,Currency code,Cost,Impr.,Clicks,CTR',
  '2026-03-02,Brand,USD,100.00,"1,000",50,5.00%',
  '2026-03-09,Brand,USD,200.00,"3,000",100,3.33%',
  '2026-03-16,Brand,USD,999.00,"9,000",900,10.00%',
  'Total: Account,,USD,"1,299.00","13,000",1050,8.08%',
].join('\n');

const LINKEDIN_CSV = [
  'Campaign Performance Report (in UTC)',
  'Report Start: 3/1/2026',
  'Start Date (in UTC),Account Name,Campaign Group Name,Campaign Name,Campaign ID,Total Spent,Currency,Impressions,Clicks',
  '3/3/2026,Acme,Q1,Launch,123,400.00,EUR,2000,20',
  '3/10/2026,Acme,Q1,Launch,123,60.00,USD,,10',
].join('\n');

type Row = Record<string, number | string | null | string[]>;
interface Report {
  rows: Row[];
  totals: Row;
  unmatched: { source: string; medium: string; campaign: string | null; spend: number }[];
  currency: string;
}

describe.each(TEST_DATABASES)('cost report on %s', (db) => {
  let server: TestCollector;

  beforeAll(async () => {
    server = await startCollector({ db, file: { spend: { currency: 'USD', rates: { EUR: 1.1 } } } });
    const k = server.services.db;
    const visit = (contact_id: string, session: string, ts: number, fields: Partial<NewEventRow>) =>
      insertEvent(k, { contact_id, session, ts, type: 'page', path: '/', ...fields });
    const brand = { ref_kind: 'paid', utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand' };
    const launch = {
      ref_kind: 'paid',
      utm_source: 'LinkedIn',
      utm_medium: 'paid_social',
      utm_campaign: 'Launch',
    };
    const identify = (contact_id: string, ts: number) =>
      insertEvent(k, { contact_id, ts, type: 'identify', user: `${contact_id}@corp.test` });
    const move = (contact_id: string, from_stage: string, to_stage: string, at: number) =>
      k
        .insertInto('transitions')
        .values({
          contact_id,
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

    await insertContact(k, {
      id: 'A',
      email: 'A@corp.test',
      stage: 'customer',
      first_seen: T(2, 10),
      mql_at: T(4),
      sql_at: T(6),
    });
    await visit('A', 'a1', T(2, 10), brand);
    await identify('A', T(2, 11));
    await move('A', 'sql', 'customer', T(10));

    await insertContact(k, { id: 'B', email: 'B@corp.test', stage: 'mql', first_seen: T(3), mql_at: T(7) });
    await visit('B', 'b1', T(3), launch);
    await visit('B', 'b2', T(5, 10), { ref: 'https://www.google.com/', ref_kind: 'search' });
    await identify('B', T(5, 12));

    await insertContact(k, {
      id: 'C',
      email: 'C@corp.test',
      stage: 'customer',
      first_seen: T(8),
      sql_at: T(12),
    });
    await visit('C', 'c1', T(8), brand);
    await visit('C', 'c2', T(9), launch);
    await visit('C', 'c3', T(11, 10), { ref_kind: 'direct' });
    await identify('C', T(11, 13));
    await move('C', 'sql', 'customer', T(14));

    await insertContact(k, { id: 'D', email: 'D@corp.test', first_seen: T(10) });
    await visit('D', 'd1', T(10), launch);
    await identify('D', T(10, 13));

    for (const [type, body] of [
      ['text/csv', GOOGLE_ADS_CSV],
      ['text/csv', LINKEDIN_CSV],
      [
        'application/json',
        JSON.stringify([
          {
            date: '2026-03-05',
            source: 'facebook',
            medium: 'paid_social',
            campaign: 'Retarget',
            cost: 50,
            currency: 'USD',
            impressions: 500,
            clicks: 5,
          },
        ]),
      ],
    ] as const) {
      const res = await server.api('/api/spend', { method: 'POST', body, headers: { 'content-type': type } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { refused: unknown[] }).refused).toEqual([]);
    }
  });
  afterAll(() => server?.close());

  const cost = async (query: string) => {
    const res = await server.api(`/api/reports/cost?${RANGE}&${query}`, { key: server.readKey });
    expect(res.status).toBe(200);
    return (await res.json()) as Report;
  };
  const find = (report: Report, campaign: string | null) => {
    const row = report.rows.find((r) => r.campaign === campaign);
    expect(row, String(campaign)).toBeDefined();
    return row!;
  };

  /** Spend, impressions, clicks and CTR do not depend on the model. */
  const SPEND = {
    brand: { spend: 300, impressions: 4000, clicks: 150, ctr: share(150 / 4000) },
    launch: { spend: 500, impressions: 2000, clicks: 30, ctr: share(20 / 2000) },
    retarget: { spend: 50, impressions: 500, clicks: 5, ctr: share(5 / 500) },
  };
  const INFINITE_ALL = ['cost_per_lead', 'cost_per_mql', 'cost_per_sql', 'cost_per_customer'];
  const retarget = {
    source: 'facebook',
    medium: 'paid_social',
    ...SPEND.retarget,
    leads: 0,
    mqls: 0,
    sqls: 0,
    customers: 0,
    cost_per_lead: null,
    cost_per_mql: null,
    cost_per_sql: null,
    cost_per_customer: null,
    infinite: INFINITE_ALL,
  };

  it('totals: all spend over all conversions, whatever the model', async () => {
    for (const model of ['first_touch', 'last_touch', 'linear']) {
      const { totals, currency } = await cost(`model=${model}&group=campaign`);
      expect(currency).toBe('USD');
      expect(totals).toEqual({
        spend: 850,
        impressions: 6500,
        clicks: 150 + 30 + 5,
        ctr: share((150 + 20 + 5) / 6500),
        leads: 4,
        mqls: 3,
        sqls: 2,
        customers: 2,
        cost_per_lead: money(850 / 4),
        cost_per_mql: money(850 / 3),
        cost_per_sql: money(850 / 2),
        cost_per_customer: money(850 / 2),
        infinite: [],
        unmatched_spend: 50,
        revenue: null,
        roas: null,
        clv: null,
      });
    }
  });

  it('first touch: A and C to brand, B and D to launch', async () => {
    const report = await cost('model=first_touch&group=campaign');
    expect(report.rows).toHaveLength(3);
    expect(find(report, 'brand')).toEqual({
      source: 'google',
      medium: 'cpc',
      campaign: 'brand',
      ...SPEND.brand,
      leads: 2,
      mqls: 2,
      sqls: 2,
      customers: 2,
      cost_per_lead: 150,
      cost_per_mql: 150,
      cost_per_sql: 150,
      cost_per_customer: 150,
      infinite: [],
    });
    expect(find(report, 'launch')).toEqual({
      source: 'linkedin',
      medium: 'paid_social',
      campaign: 'launch',
      ...SPEND.launch,
      leads: 2,
      mqls: 1,
      sqls: 0,
      customers: 0,
      cost_per_lead: 250,
      cost_per_mql: 500,
      cost_per_sql: null,
      cost_per_customer: null,
      infinite: ['cost_per_sql', 'cost_per_customer'],
    });
    expect(find(report, 'retarget')).toEqual({ ...retarget, campaign: 'retarget' });
  });

  it('last touch: B to google organic, C to direct', async () => {
    const report = await cost('model=last_touch&group=campaign');
    expect(report.rows).toHaveLength(5);
    expect(find(report, 'brand')).toMatchObject({
      ...SPEND.brand,
      leads: 1,
      mqls: 1,
      sqls: 1,
      customers: 1,
      cost_per_lead: 300,
      cost_per_mql: 300,
      cost_per_sql: 300,
      cost_per_customer: 300,
      infinite: [],
    });
    expect(find(report, 'launch')).toMatchObject({
      ...SPEND.launch,
      leads: 1,
      mqls: 0,
      sqls: 0,
      customers: 0,
      cost_per_lead: 500,
      cost_per_mql: null,
      infinite: ['cost_per_mql', 'cost_per_sql', 'cost_per_customer'],
    });
    const organic = report.rows.find((r) => r.source === 'google' && r.medium === 'organic');
    // No spend row: nothing known about its cost, so null and not infinite.
    expect(organic).toEqual({
      source: 'google',
      medium: 'organic',
      campaign: null,
      spend: 0,
      impressions: null,
      clicks: null,
      ctr: null,
      leads: 1,
      mqls: 1,
      sqls: 0,
      customers: 0,
      cost_per_lead: null,
      cost_per_mql: null,
      cost_per_sql: null,
      cost_per_customer: null,
      infinite: [],
    });
    expect(report.rows.find((r) => r.source === '(direct)')).toMatchObject({
      leads: 1,
      mqls: 1,
      sqls: 1,
      customers: 1,
    });
    expect(find(report, 'retarget')).toEqual({ ...retarget, campaign: 'retarget' });
  });

  it('linear: each conversion shared equally by the touches before it', async () => {
    const report = await cost('model=linear&group=campaign');
    // brand: A's four conversions whole, a third of each of C's (lead, MQL, SQL, customer).
    const brandShare = 1 + 1 / 3;
    expect(find(report, 'brand')).toMatchObject({
      ...SPEND.brand,
      leads: share(brandShare),
      mqls: share(brandShare),
      sqls: share(brandShare),
      customers: share(brandShare),
      cost_per_lead: money(300 / brandShare),
      cost_per_mql: money(300 / brandShare),
      cost_per_sql: money(300 / brandShare),
      cost_per_customer: money(300 / brandShare),
      infinite: [],
    });
    // launch: half of B's lead and MQL, a third of C's four, all of D's lead.
    const launch = { leads: 0.5 + 1 / 3 + 1, mqls: 0.5 + 1 / 3, sqls: 1 / 3, customers: 1 / 3 };
    expect(find(report, 'launch')).toMatchObject({
      ...SPEND.launch,
      leads: share(launch.leads),
      mqls: share(launch.mqls),
      sqls: share(launch.sqls),
      customers: share(launch.customers),
      cost_per_lead: money(500 / launch.leads),
      cost_per_mql: money(500 / launch.mqls),
      cost_per_sql: money(500 / launch.sqls),
      cost_per_customer: money(500 / launch.customers),
      infinite: [],
    });
    expect(report.rows.find((r) => r.medium === 'organic')).toMatchObject({
      leads: 0.5,
      mqls: 0.5,
      sqls: 0,
      customers: 0,
    });
    expect(report.rows.find((r) => r.source === '(direct)')).toMatchObject({
      leads: share(1 / 3),
      mqls: share(1 / 3),
      sqls: share(1 / 3),
      customers: share(1 / 3),
    });
    expect(find(report, 'retarget')).toEqual({ ...retarget, campaign: 'retarget' });
    const sum = (key: string) => report.rows.reduce((n, r) => n + Number(r[key]), 0);
    expect(sum('leads')).toBeCloseTo(4, 3);
    expect(sum('customers')).toBeCloseTo(2, 3);
  });

  it('group=source: source / medium rows without campaigns', async () => {
    const report = await cost('model=first_touch&group=source');
    expect(report.rows.map((r) => `${r.source} / ${r.medium}`)).toEqual([
      'linkedin / paid_social',
      'google / cpc',
      'facebook / paid_social',
    ]);
    expect(report.rows.every((r) => !('campaign' in r))).toBe(true);
    expect(report.rows[1]).toMatchObject({ spend: 300, leads: 2, cost_per_lead: 150 });
  });

  it('spend no visit matches is reported, not hidden', async () => {
    const report = await cost('model=first_touch&group=campaign');
    expect(report.unmatched).toEqual([
      { source: 'facebook', medium: 'paid_social', campaign: 'retarget', spend: 50 },
    ]);
  });

  it('what a rule change costs: cost per MQL under live and draft rules, side by side', async () => {
    // Live: nobody reaches 1,000 points. Draft: every identified contact is an MQL the moment
    // it is identified (A 03-02, B 03-05, C 03-11, D 03-10: all in range).
    const live = parseRuleset({ version: 1, mql_threshold: 1000 });
    const draft = parseRuleset({ version: 2, mql_threshold: -1000 });
    const range = { from: T(2, 0), to: T(16, 0), sites: ['pk_test'] };
    const report = await draftCost(
      server.services.db,
      range,
      server.config.spend,
      { live, draft },
      {
        model: 'first_touch',
        group: 'campaign',
      },
    );
    expect(report.spend).toBe(850);
    expect(report.live).toEqual({
      version: 1,
      mql_threshold: 1000,
      mqls: 0,
      cost_per_mql: null,
      infinite: true,
    });
    expect(report.draft).toEqual({
      version: 2,
      mql_threshold: -1000,
      mqls: 4,
      cost_per_mql: money(850 / 4),
      infinite: false,
    });
    const byCampaign = Object.fromEntries(report.rows.map((r) => [String(r.campaign), r]));
    expect(byCampaign.launch).toEqual({
      source: 'linkedin',
      medium: 'paid_social',
      campaign: 'launch',
      spend: 500,
      live_mqls: 0,
      live_cost_per_mql: null,
      draft_mqls: 2,
      draft_cost_per_mql: 250,
      infinite: ['live'],
    });
    expect(byCampaign.brand).toMatchObject({
      spend: 300,
      draft_mqls: 2,
      draft_cost_per_mql: 150,
      infinite: ['live'],
    });
    expect(byCampaign.retarget).toMatchObject({ spend: 50, draft_mqls: 0, infinite: ['live', 'draft'] });
    // The draft moves MQLs into the range by when they qualify: a range ending 03-06 holds A and B.
    const early = await draftCost(
      server.services.db,
      { ...range, to: T(6, 0) },
      server.config.spend,
      { live, draft },
      {
        model: 'last_touch',
        group: 'source',
      },
    );
    expect(early.draft.mqls).toBe(2);
    expect(early.rows.find((r) => r.medium === 'organic')).toMatchObject({
      draft_mqls: 1,
      draft_cost_per_mql: null,
    });
  });

  it('refuses a bad model or group naming the field', async () => {
    for (const [query, field] of [
      ['model=u_shaped', 'model'],
      ['group=channel', 'group'],
      ['currency=EUR', 'currency'],
    ]) {
      const res = await server.api(`/api/reports/cost?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
  });
});
