/**
 * The lead feed never lists anonymous visitors, and on a real site most contacts are exactly
 * that. So the feed's indexes become partial: they hold identified contacts only, and the score
 * and last-seen updates that every page view of an anonymous visitor makes no longer rewrite
 * eight index entries. The decay refresh's `scored_at` index follows: decay cannot move an
 * anonymous visitor to another stage, and a visitor is re-scored on every visit and on identify.
 *
 * A query uses these indexes only when it carries the same term, `stage <> 'visitor'`
 * (storage/lead-filter.ts): SQLite matches the term, it does not reason about it. Listing
 * `stage=visitor` reads the table instead, which is the rare case.
 */
import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../database';

const LEADS_ONLY = sql<boolean>`stage <> 'visitor'`;

const FEED_INDEXES: [name: string, columns: string[]][] = [
  ['contacts_score', ['score', 'id']],
  ['contacts_last_seen', ['last_seen', 'id']],
  ['contacts_stage_changed', ['stage_changed_at', 'id']],
  ['contacts_stage_score', ['stage', 'score', 'id']],
  ['contacts_stage_last_seen', ['stage', 'last_seen', 'id']],
  ['contacts_stage_stage_changed_at', ['stage', 'stage_changed_at', 'id']],
  ['contacts_source', ['source']],
  ['contacts_campaign', ['campaign']],
];

const SEARCH = sql.raw(
  "lower(coalesce(email, '') || ' ' || coalesce(name, '') || ' ' || coalesce(company, '')), id",
);

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, columns] of FEED_INDEXES) {
    await db.schema.dropIndex(name).ifExists().execute();
    await db.schema.createIndex(name).on('contacts').columns(columns).where(LEADS_ONLY).execute();
  }
  // Its second term keeps it out of plans that want any leads-only index (a text search would
  // otherwise walk this narrow index and read every row rather than scan contacts_search).
  await db.schema.dropIndex('contacts_scored_at').ifExists().execute();
  await db.schema
    .createIndex('contacts_scored_at')
    .on('contacts')
    .column('scored_at')
    .where(sql<boolean>`stage <> 'visitor' and scored_at is not null`)
    .execute();
  if (dialectOf(db) === 'sqlite') {
    await sql`drop index if exists contacts_search`.execute(db);
    await sql`create index contacts_search on contacts (${SEARCH}) where ${LEADS_ONLY}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('contacts_scored_at').ifExists().execute();
  await db.schema.createIndex('contacts_scored_at').on('contacts').column('scored_at').execute();
  for (const [name, columns] of FEED_INDEXES) {
    await db.schema.dropIndex(name).ifExists().execute();
    await db.schema.createIndex(name).on('contacts').columns(columns).execute();
  }
  if (dialectOf(db) === 'sqlite') {
    await sql`drop index if exists contacts_search`.execute(db);
    await sql`create index contacts_search on contacts (${SEARCH})`.execute(db);
  }
}
