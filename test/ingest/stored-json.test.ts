/**
 * JSON kept in TEXT columns is read one way: a damaged value reads as empty (a contact's traits
 * as `{}`), logged once per column, so identify keeps working on a contact whose traits row is
 * damaged, the read side shows the same thing, and the next identify repairs the row. And the
 * feed's title column follows the ruleset's title aliases, like the fit rules on `title` do.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readJson, readJsonObject, readTraits } from '../../collector/json-column';
import { batchOf, identifyEvent, pageView, postBatch } from '../helpers/events';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';

describe('the JSON column codec', () => {
  it('reads damage as empty and reports each column once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(readJson('{"a":1}', 'test.ok')).toEqual({ a: 1 });
      expect(readJson(null, 'test.ok')).toBeNull();
      expect(readJson('', 'test.ok')).toBeNull();
      expect(readJson('{"a":', 'test.one')).toBeNull();
      expect(readJson('nope', 'test.one')).toBeNull();
      expect(readJsonObject('[1,2]', 'test.two')).toBeNull();
      expect(readJsonObject('{"b":2}', 'test.two')).toEqual({ b: 2 });
      expect(readTraits('{broken')).toEqual({});
      expect(warn.mock.calls.map(([message]) => String(message).match(/in (\S+)/)?.[1])).toEqual([
        'test.one',
        'test.two',
        'contacts.traits',
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe.each(TEST_DATABASES)('stored JSON and profile columns on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({
      db,
      file: { scoring: { trait_aliases: { title: ['position', 'job_title'] } } },
    });
  });
  afterAll(() => server?.close());

  const contactOf = async (anon: string) => {
    const row = await server.services.db
      .selectFrom('anon_ids')
      .select('contact_id')
      .where('anon', '=', anon)
      .executeTakeFirstOrThrow();
    return row.contact_id;
  };
  const view = async (id: string) => {
    const res = await server.api(`/api/contacts/${id}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { traits: Record<string, unknown>; title: string | null };
  };
  const exported = async (id: string) => {
    const res = await server.api(`/api/contacts/${id}/export`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { contact: { traits: unknown } }).contact.traits;
  };

  it('a damaged contacts.traits does not fail identify; every reader sees {} until identify repairs it', async () => {
    expect((await postBatch(server.url, batchOf([pageView('anon-dmg', 'https://x.io/')]))).status).toBe(202);
    const id = await contactOf('anon-dmg');
    await server.services.db
      .updateTable('contacts')
      .set({ traits: '{"plan": "pro"' })
      .where('id', '=', id)
      .execute();

    expect((await view(id)).traits).toEqual({});
    expect(await exported(id)).toEqual({});

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (const traits of [{ name: 'Dee Amage' }, { plan: 'team' }] as Record<string, string>[]) {
        const res = await postBatch(
          server.url,
          batchOf([identifyEvent('anon-dmg', 'dee@damaged.example', traits)]),
        );
        expect(res.status).toBe(202);
        expect(((await res.json()) as { accepted: number }).accepted).toBe(1);
      }
    } finally {
      warn.mockRestore();
    }
    const row = await server.services.db
      .selectFrom('contacts')
      .select(['traits', 'email', 'name'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.traits)).toEqual({ name: 'Dee Amage', plan: 'team' });
    expect(row).toMatchObject({ email: 'dee@damaged.example', name: 'Dee Amage' });
    expect((await view(id)).traits).toEqual({ name: 'Dee Amage', plan: 'team' });
    expect(await exported(id)).toEqual({ name: 'Dee Amage', plan: 'team' });
  });

  it('the feed’s title column follows the configured title aliases', async () => {
    await postBatch(
      server.url,
      batchOf([identifyEvent('anon-title', 'tia@titles.example', { title: 'Intern', position: 'VP Sales' })]),
    );
    const id = await contactOf('anon-title');
    expect((await view(id)).title).toBe('VP Sales');
    const leads = (await (await server.api('/api/leads?q=tia@titles')).json()) as {
      leads: { title?: string }[];
    };
    expect(leads.leads[0]?.title).toBe('VP Sales');
  });
});
