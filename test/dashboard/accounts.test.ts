/**
 * The dashboard's accounts pages show what the API decides: the best stage of each company and
 * whether its score reached the ruleset's account_threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact } from '../api/seed';
import { startCollector, TEST_ADMIN_KEY, type TestCollector } from '../helpers/server';
import { dashboardClient, signIn } from './client';

let collector: TestCollector;
const client = () => {
  const c = dashboardClient(collector.url);
  return signIn(c, { key: TEST_ADMIN_KEY }).then(() => c);
};

beforeAll(async () => {
  collector = await startCollector({ file: { scoring: { account_threshold: 50 } } });
  const add = (id: string, domain: string, score: number, stage: string) =>
    insertContact(collector.services.db, {
      id,
      email: `${id}@${domain}`,
      domain,
      score,
      stage: stage as 'lead',
    });
  await add('a1', 'big.example', 40, 'sql');
  await add('a2', 'big.example', 20, 'lead');
  await add('b1', 'small.example', 30, 'mql');
});
afterAll(() => collector?.close());

const rowOf = (html: string, domain: string) => {
  const start = html.indexOf(`data-domain="${domain}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</tr>', start));
};

describe('dashboard accounts', () => {
  it('lists each account’s best stage and whether it is qualified', async () => {
    const html = await (await client()).html('/dashboard/accounts');
    expect(html).toContain('<th>Best stage</th>');
    const big = rowOf(html, 'big.example'); // 60 ≥ 50
    expect(big).toContain('stage-sql');
    expect(big).toContain('Qualified</span>');
    const small = rowOf(html, 'small.example'); // 30 < 50
    expect(small).toContain('stage-mql');
    expect(small).not.toContain('Qualified</span>');
  });

  it('shows them on the account page', async () => {
    const html = await (await client()).html('/dashboard/accounts/big.example');
    expect(html).toMatch(/id="account-best-stage" data-value="sql"/);
    expect(html).toMatch(/id="account-qualified" data-value="true"/);
  });
});
