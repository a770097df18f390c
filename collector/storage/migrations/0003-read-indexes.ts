/**
 * Indexes for the read side. The lead feed filters by stage and sorts three ways, so each sort
 * gets a (stage, sort column, id) index — a stage's first page is then an index range, not a
 * sort of every contact in that stage — replacing 0001's (stage, score). Source and campaign
 * filters get an index each, so a rare campaign is a lookup rather than a walk of the whole
 * feed. Erasure and export find a person's outbox rows and identity links by contact.
 *
 * On SQLite, text search (`q`) scans a covering index of the lower-cased email, name and
 * company (the same expression as read/leads-query.ts) instead of every wide contact row.
 * PostgreSQL scans the table itself quickly enough and is spared the write cost.
 */
import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../database';

const FEED_SORTS = ['score', 'last_seen', 'stage_changed_at'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of FEED_SORTS) {
    await db.schema
      .createIndex(`contacts_stage_${column}`)
      .on('contacts')
      .columns(['stage', column, 'id'])
      .execute();
  }
  await db.schema.dropIndex('contacts_stage').ifExists().execute();
  await db.schema.createIndex('contacts_source').on('contacts').column('source').execute();
  await db.schema.createIndex('contacts_campaign').on('contacts').column('campaign').execute();
  await db.schema.createIndex('outbox_contact').on('outbox').column('contact_id').execute();
  await db.schema.createIndex('identity_links_from').on('identity_links').column('from_contact').execute();
  await db.schema.createIndex('identity_links_to').on('identity_links').column('to_contact').execute();
  if (dialectOf(db) === 'sqlite') {
    await sql`create index contacts_search on contacts (lower(coalesce(email, '') || ' ' || coalesce(name, '') || ' ' || coalesce(company, '')), id)`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'contacts_search',
    'identity_links_to',
    'identity_links_from',
    'outbox_contact',
    'contacts_campaign',
    'contacts_source',
    ...FEED_SORTS.map((column) => `contacts_stage_${column}`),
  ]) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
  await db.schema.createIndex('contacts_stage').on('contacts').columns(['stage', 'score']).execute();
}
