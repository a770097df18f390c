/** Planted contacts written into a real database, their outcomes imported through the API. */
import { expect } from 'vitest';
import type { NewEventRow } from '../../../collector/storage/schema';
import { insertContacts } from '../../api/seed';
import { TEST_SITE, type TestCollector } from '../../helpers/server';
import type { PlantedContact } from './planted';

export async function seedPlanted(server: TestCollector, contacts: PlantedContact[]): Promise<void> {
  const database = server.services.db;
  await insertContacts(
    database,
    contacts.map((c) => ({ id: c.id, email: c.profile.email, first_seen: c.events[0]!.ts, traits: '{}' })),
  );
  const rows: NewEventRow[] = contacts.flatMap((c) =>
    c.events.map((e) => ({
      id: e.id,
      site: TEST_SITE,
      contact_id: c.id,
      anon: null,
      session: null,
      type: e.type,
      name: e.name,
      ts: e.ts,
      received_at: e.ts,
      url: null,
      path: e.path,
      ref: null,
      ref_kind: null,
      title: null,
      props: null,
      traits: null,
      user: e.user,
      campaign: null,
      utm_source: null,
      utm_medium: null,
      utm_campaign: null,
      browser: null,
      os: null,
      device: null,
      ip: null,
      bot: e.bot ? 1 : 0,
      flags: null,
    })),
  );
  for (let i = 0; i < rows.length; i += 400)
    await database
      .insertInto('events')
      .values(rows.slice(i, i + 400))
      .execute();
  const outcomes = contacts
    .filter((c) => c.outcome_at !== null)
    .map((c) => ({ contact: c.profile.email, outcome: 'sql', at: c.outcome_at, external_id: `sql-${c.id}` }));
  const response = await server.api('/api/outcomes', { method: 'POST', body: JSON.stringify(outcomes) });
  expect(((await response.json()) as { stored: number }).stored).toBe(outcomes.length);
}
