/**
 * Spend in through `POST /api/spend` and `npm run spend -- import`: good rows kept and bad ones
 * named (negative cost, unknown currency, bad date, a currency without a rate), the same file
 * twice changes nothing, lines sharing a key add up, each platform's export is recognised by
 * its header, and the body limit and malformed bodies answer 413 / 400 naming the field.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SPEND_BODY } from '../../collector/api/spend';
import {
  startCollector,
  TEST_ADMIN_KEY,
  TEST_DATABASES,
  type TestCollector,
  testConfigFile,
} from '../helpers/server';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');
const SPEND_CONFIG = { spend: { currency: 'EUR', rates: { USD: 0.9 } } };

const MIXED_CSV = [
  'date,source,medium,campaign,cost,currency,impressions,clicks',
  '2026-04-01,google,cpc,Brand,10.50,EUR,1000,20',
  '2026-04-01,google,cpc,Brand,-3,EUR,,',
  '2026-04-02,LinkedIn,,Launch,100,USD,,',
  '2026-04-31,google,cpc,Brand,5,EUR,,',
  '2026-04-03,google,cpc,Brand,5,XYZ,,',
  '2026-04-03,google,cpc,Brand,5,GBP,,',
  '2026-04-03,bing,cpc,,7,EUR,10,1',
].join('\n');

interface ImportReport {
  format: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  cost: number;
  refused: { row: number; field: string; reason: string }[];
  skipped: { row: number; reason: string }[];
}

describe.each(TEST_DATABASES)('spend import on %s', (db) => {
  let server: TestCollector;

  beforeAll(async () => {
    server = await startCollector({ db, file: SPEND_CONFIG });
  });
  afterAll(() => server?.close());

  const post = async (body: string, type = 'text/csv', query = '') => {
    const res = await server.api(`/api/spend${query}`, {
      method: 'POST',
      body,
      headers: { 'content-type': type },
    });
    return { status: res.status, json: (await res.json()) as ImportReport & { error?: { field?: string } } };
  };
  const stored = () =>
    server.services.db
      .selectFrom('spend')
      .selectAll()
      .orderBy('day')
      .orderBy('source')
      .orderBy('campaign')
      .execute();

  it('keeps the good rows and names every bad one', async () => {
    const { status, json } = await post(MIXED_CSV);
    expect(status).toBe(200);
    expect(json).toMatchObject({ format: 'generic', rows: 7, inserted: 3, updated: 0, unchanged: 0 });
    // 10.50 EUR + 100 USD × 0.9 + 7 EUR.
    expect(json.cost).toBe(10.5 + 90 + 7);
    expect(json.refused).toEqual([
      { row: 3, field: 'cost', reason: 'is negative' },
      { row: 5, field: 'date', reason: 'is not a date (YYYY-MM-DD)' },
      { row: 6, field: 'currency', reason: 'unknown currency "XYZ"' },
      { row: 7, field: 'currency', reason: 'no rate for GBP: add spend.rates.GBP to the config' },
    ]);
    const rows = await stored();
    expect(
      rows.map((r) => [r.day, r.source, r.medium, r.campaign, Number(r.cost_micros), r.amount, r.currency]),
    ).toEqual([
      ['2026-04-01', 'google', 'cpc', 'brand', 10_500_000, '10.5', 'EUR'],
      // No medium in the row: LinkedIn's paid medium.
      ['2026-04-02', 'linkedin', 'paid_social', 'launch', 90_000_000, '100', 'USD'],
      ['2026-04-03', 'bing', 'cpc', '', 7_000_000, '7', 'EUR'],
    ]);
  });

  it('importing the same file again changes nothing', async () => {
    const before = await stored();
    const { json } = await post(MIXED_CSV);
    expect(json).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(json.refused).toHaveLength(4);
    expect(await stored()).toEqual(before);
  });

  it('a changed cost replaces the stored row; lines sharing a key add up', async () => {
    const { json } = await post(
      [
        'date,source,medium,campaign,cost,currency,impressions,clicks',
        '2026-04-01,google,cpc,brand,4,EUR,100,2',
        '2026-04-01,Google,CPC,BRAND,6,EUR,200,3',
      ].join('\n'),
    );
    expect(json).toMatchObject({ inserted: 0, updated: 1, unchanged: 0, refused: [] });
    const row = (await stored()).find((r) => r.day === '2026-04-01')!;
    expect([Number(row.cost_micros), row.amount, Number(row.impressions), Number(row.clicks)]).toEqual([
      10_000_000,
      '10',
      300,
      5,
    ]);
    expect(await stored()).toHaveLength(3);
  });

  it('JSON rows: numbers or text, an unknown field refused by name', async () => {
    const { status, json } = await post(
      JSON.stringify([
        {
          date: '2026-05-01',
          source: 'facebook',
          campaign: 'Retarget',
          cost: 12.25,
          currency: 'EUR',
          clicks: 4,
        },
        { date: '2026-05-01', source: 'facebook', cost: '1', currency: 'EUR', budget: 5 },
        { date: '2026-05-01', cost: '1', currency: 'EUR' },
      ]),
      'application/json',
    );
    expect(status).toBe(200);
    expect(json).toMatchObject({ inserted: 1 });
    expect(json.refused).toEqual([
      { row: 2, field: 'budget', reason: 'unknown field' },
      { row: 3, field: 'source', reason: 'is required' },
    ]);
  });

  it('recognises Google Ads, LinkedIn and Meta exports by their headers', async () => {
    const google = await post(
      [
        'Campaign report',
        '"June 1, 2026 - June 2, 2026"',
        'Day\tCampaign\tCurrency code\tCost\tImpr.\tClicks',
        'Jun 1, 2026\tBrand\tEUR\t"1,000.00"\t"10,000"\t100',
        'Total: Account\t\tEUR\t"1,000.00"\t"10,000"\t100',
      ].join('\n'),
    );
    expect(google.json).toMatchObject({ format: 'google_ads', inserted: 1, refused: [] });
    expect(google.json.skipped).toEqual([{ row: 5, reason: 'totals row' }]);
    const linkedin = await post(
      [
        'Campaign Performance Report (in UTC)',
        'Start Date (in UTC),Campaign Name,Total Spent,Currency,Impressions,Clicks',
        '6/2/2026,Launch,50,EUR,500,5',
      ].join('\n'),
    );
    expect(linkedin.json).toMatchObject({ format: 'linkedin', inserted: 1, refused: [] });
    const weekly = await post(
      [
        'Reporting starts,Reporting ends,Campaign name,Amount spent (EUR),Impressions',
        '2026-06-04,2026-06-04,Retarget,5,100',
        '2026-06-05,2026-06-11,Retarget,35,700',
      ].join('\n'),
    );
    expect(weekly.json).toMatchObject({ format: 'meta', inserted: 1 });
    expect(weekly.json.refused).toEqual([
      { row: 3, field: 'date', reason: 'the row covers several days: export with a breakdown by day' },
    ]);
    const meta = await post(
      ['Day,Campaign name,Amount spent (USD),Impressions,Link clicks', '2026-06-03,Retarget,20,400,8'].join(
        '\n',
      ),
    );
    expect(meta.json).toMatchObject({ format: 'meta', inserted: 1, refused: [], cost: 18 });
    const june = (await stored()).filter((r) => r.day.startsWith('2026-06'));
    expect(june.map((r) => [r.day, r.source, r.medium, r.campaign, r.format])).toEqual([
      ['2026-06-01', 'google', 'cpc', 'brand', 'google_ads'],
      ['2026-06-02', 'linkedin', 'paid_social', 'launch', 'linkedin'],
      ['2026-06-03', 'facebook', 'paid_social', 'retarget', 'meta'],
      ['2026-06-04', 'facebook', 'paid_social', 'retarget', 'meta'],
    ]);
  });

  it('a file without a currency column takes the currency its owner names', async () => {
    const csv = ['Day,Campaign,Cost', '2026-07-01,Brand,5'].join('\n');
    const without = await post(csv);
    expect(without.json.refused).toEqual([{ row: 2, field: 'currency', reason: 'is required' }]);
    const named = await post(csv, 'text/csv', '?currency=USD');
    expect(named.json).toMatchObject({ inserted: 1, cost: 4.5, refused: [] });
  });

  it('a body over the limit is 413', async () => {
    const line = '2026-04-01,google,cpc,brand,1,EUR,,\n';
    const body = `date,source,medium,campaign,cost,currency,impressions,clicks\n${line.repeat(Math.ceil(MAX_SPEND_BODY / line.length) + 1)}`;
    const { status, json } = await post(body);
    expect(status).toBe(413);
    expect(json.error).toMatchObject({ code: 'payload_too_large' });
  });

  it.each([
    ['{"date":"2026-04-01"}', 'application/json', 'body'],
    ['[1]', 'application/json', '0'],
    ['a,b\n1,2', 'text/csv', 'header'],
  ])('refuses %s naming %s', async (body, type, field) => {
    const { status, json } = await post(body, type);
    expect(status).toBe(400);
    expect(json.error?.field).toBe(field);
  });

  it('refuses bad JSON, other media types, unknown parameters and read keys', async () => {
    expect((await post('[', 'application/json')).status).toBe(400);
    expect((await post('x', 'application/xml')).status).toBe(415);
    const param = await post('[]', 'application/json', '?dry=1');
    expect([param.status, param.json.error?.field]).toEqual([400, 'dry']);
    const res = await server.api('/api/spend', { method: 'POST', body: '[]', key: server.readKey });
    expect(res.status).toBe(403);
  });
});

// Each run starts a tsx process (several seconds on a busy machine).
describe('npm run spend -- import', () => {
  let server: TestCollector;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startCollector({ file: SPEND_CONFIG, workers: false });
    const configPath = join(server.dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(testConfigFile({ file: SPEND_CONFIG })));
    env = {
      ...process.env,
      DATABASE_URL: server.databaseUrl,
      LEADTRAIL_CONFIG: configPath,
      LEADTRAIL_ADMIN_KEY: TEST_ADMIN_KEY,
      LEADTRAIL_DATA_DIR: server.dir,
    };
  });
  afterAll(() => server?.close());

  const spend = async (...args: string[]) => {
    try {
      const { stdout } = await run(TSX, ['collector/cli/spend.ts', ...args], { env, timeout: 60_000 });
      return { code: 0, stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout + e.stderr };
    }
  };

  it('imports a file with a per-row report, and the second run changes nothing', async () => {
    const file = join(server.dir, 'spend.csv');
    writeFileSync(file, MIXED_CSV);
    const first = await spend('import', file);
    // Exit 2: some rows were refused (the good ones are in).
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('3 inserted, 0 updated, 0 unchanged, 4 refused');
    expect(first.stdout).toContain('line 3: refused: cost: is negative');
    expect(first.stdout).toContain('line 5: refused: date: is not a date');
    expect(first.stdout).toContain('line 6: refused: currency: unknown currency "XYZ"');
    const second = await spend('import', file);
    expect(second.stdout).toContain('0 inserted, 0 updated, 3 unchanged, 4 refused');
    expect(await server.services.db.selectFrom('spend').selectAll().execute()).toHaveLength(3);
  }, 120_000);

  it('usage errors exit 64', async () => {
    expect((await spend('export', 'x.csv')).code).toBe(64);
    expect((await spend('import', join(server.dir, 'missing.csv'))).code).toBe(64);
  }, 120_000);
});
