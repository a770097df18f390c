/**
 * Rows written straight into the database, for read-side tests that need contacts in precise
 * states (scores, grades, stages, times) without driving the scoring engine to each of them.
 */
import type { Kysely } from 'kysely';
import { nanoid } from 'nanoid';
import { newContactRow } from '../../collector/ingest/identity';
import type { Database, NewContactRow, NewEventRow } from '../../collector/storage/schema';
import { TEST_SITE } from '../helpers/server';

export async function insertContact(
  db: Kysely<Database>,
  fields: Partial<NewContactRow> = {},
): Promise<NewContactRow & { id: string }> {
  const now = fields.first_seen ?? Date.now();
  const row = { ...newContactRow(fields.site ?? TEST_SITE, now, now), stage: 'lead' as const, ...fields };
  await db.insertInto('contacts').values(row).execute();
  return row as NewContactRow & { id: string };
}

export async function insertEvent(
  db: Kysely<Database>,
  fields: Partial<NewEventRow> & { contact_id: string | null; ts: number },
): Promise<NewEventRow> {
  const row: NewEventRow = {
    id: nanoid(),
    site: TEST_SITE,
    anon: null,
    session: null,
    type: 'page',
    name: null,
    received_at: fields.ts,
    url: null,
    path: null,
    ref: null,
    ref_kind: null,
    title: null,
    props: null,
    traits: null,
    user: null,
    campaign: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    browser: null,
    os: null,
    device: null,
    ip: null,
    bot: 0,
    flags: null,
    ...fields,
  };
  await db.insertInto('events').values(row).execute();
  return row;
}

/** Many contacts in a few multi-row INSERTs. */
export async function insertContacts(db: Kysely<Database>, list: Partial<NewContactRow>[]): Promise<void> {
  const now = Date.now();
  const rows = list.map((fields) => ({
    ...newContactRow(fields.site ?? TEST_SITE, fields.first_seen ?? now, fields.first_seen ?? now),
    stage: 'lead' as const,
    ...fields,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('contacts')
      .values(rows.slice(i, i + 500))
      .execute();
}
