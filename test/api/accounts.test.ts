/**
 * Accounts: contacts rolled up by company email domain (free-mail addresses have none), ranked
 * by account score (the sum of members' scores), paged, filtered, and one account in detail;
 * `qualified` follows the ruleset's account_threshold and `best_stage` the furthest member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { insertContact } from './seed';

interface Account {
  domain: string;
  score: number;
  contacts: number;
  best_score: number;
  best_stage: string;
  qualified_members: number;
  qualified: boolean;
  best_contact: { id: string; score: number } | null;
}

describe.each(TEST_DATABASES)('accounts on %s', (db) => {
  let server: TestCollector;

  beforeAll(async () => {
    // 70 sits between solo.io (60) and committee.com (75).
    server = await startCollector({ db, file: { scoring: { account_threshold: 70 } } });
    const add = (id: string, domain: string | null, score: number, stage = 'lead', last_seen = 1_000) =>
      insertContact(server.services.db, {
        id,
        email: `${id}@${domain ?? 'gmail.com'}`,
        domain,
        score,
        stage: stage as 'lead',
        last_seen,
      });
    // A buying committee of three outranks one enthusiast with the best single score.
    await add('a1', 'committee.com', 30, 'mql', 5_000);
    await add('a2', 'committee.com', 25);
    await add('a3', 'committee.com', 20);
    await add('b1', 'solo.io', 60, 'sql', 9_000);
    await add('c1', 'quiet.org', 5);
    await add('c2', 'quiet.org', 7.5);
    await add('f1', null, 99, 'sql');
  });
  afterAll(() => server?.close());

  const list = async (query = '') => {
    const res = await server.api(`/api/accounts${query}`, { key: server.readKey });
    expect(res.status).toBe(200);
    return (await res.json()) as { accounts: Account[]; next_cursor: string | null };
  };

  it('ranks companies by the sum of their members’ scores; free-mail is no account', async () => {
    const { accounts, next_cursor } = await list();
    expect(accounts.map((a) => [a.domain, a.score, a.contacts])).toEqual([
      ['committee.com', 75, 3],
      ['solo.io', 60, 1],
      ['quiet.org', 12.5, 2],
    ]);
    expect(accounts[0]).toMatchObject({
      best_score: 30,
      qualified_members: 1,
      best_contact: { id: 'a1', score: 30 },
    });
    expect(next_cursor).toBeNull();
  });

  it('qualifies an account on its score against account_threshold, and names its best stage', async () => {
    const { accounts } = await list();
    expect(accounts.map((a) => [a.domain, a.qualified, a.best_stage, a.qualified_members])).toEqual([
      ['committee.com', true, 'mql', 1], // 75 ≥ 70 though only one member is an MQL
      ['solo.io', false, 'sql', 1], // 60 < 70 though its one member is an SQL
      ['quiet.org', false, 'lead', 0],
    ]);
    const res = await server.api('/api/accounts/solo.io');
    expect(((await res.json()) as { account: Account }).account).toMatchObject({
      best_stage: 'sql',
      qualified: false,
    });
  });

  it('sorts, filters and pages', async () => {
    expect((await list('?sort=contacts')).accounts.map((a) => a.domain)).toEqual([
      'committee.com',
      'quiet.org',
      'solo.io',
    ]);
    expect((await list('?sort=last_activity')).accounts[0]!.domain).toBe('solo.io');
    expect((await list('?order=asc')).accounts[0]!.domain).toBe('quiet.org');
    expect((await list('?min_score=50')).accounts.map((a) => a.domain)).toEqual(['committee.com', 'solo.io']);
    expect((await list('?q=SOLO')).accounts.map((a) => a.domain)).toEqual(['solo.io']);
    const first = await list('?limit=2');
    expect(first.accounts).toHaveLength(2);
    const second = await list(`?limit=2&cursor=${first.next_cursor}`);
    expect(second.accounts.map((a) => a.domain)).toEqual(['quiet.org']);
    expect(second.next_cursor).toBeNull();
    const bad = await server.api(`/api/accounts?sort=contacts&cursor=${first.next_cursor}`);
    expect(bad.status).toBe(400);
  });

  it('shows one account with its members, best first', async () => {
    const res = await server.api('/api/accounts/Committee.com');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { account: Account; contacts: { id: string }[] };
    expect(body.account).toMatchObject({
      domain: 'committee.com',
      score: 75,
      contacts: 3,
      best_stage: 'mql',
      qualified: true,
    });
    expect(body.contacts.map((c) => c.id)).toEqual(['a1', 'a2', 'a3']);
    expect((await server.api('/api/accounts/gmail.com')).status).toBe(404);
    expect((await server.api('/api/accounts/nowhere.example')).status).toBe(404);
  });
});
