/**
 * The event log and everything derived from it. Types are chosen to mean the same on SQLite
 * and PostgreSQL: TEXT for ids and JSON, BIGINT for ms timestamps, INTEGER for flags.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../database';

export async function up(db: Kysely<unknown>): Promise<void> {
  const serial = dialectOf(db) === 'postgres' ? 'bigserial' : 'integer';

  await db.schema
    .createTable('events')
    .addColumn('seq', serial, (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('anon', 'text')
    .addColumn('session', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('path', 'text')
    .addColumn('ref', 'text')
    .addColumn('ref_kind', 'text')
    .addColumn('title', 'text')
    .addColumn('props', 'text')
    .addColumn('traits', 'text')
    .addColumn('user', 'text')
    .addColumn('campaign', 'text')
    .addColumn('utm_source', 'text')
    .addColumn('utm_medium', 'text')
    .addColumn('utm_campaign', 'text')
    .addColumn('browser', 'text')
    .addColumn('os', 'text')
    .addColumn('device', 'text')
    .addColumn('ip', 'text')
    .addColumn('bot', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flags', 'text')
    .execute();
  // Dedupe: a retried event id is acknowledged and ignored.
  await db.schema.createIndex('events_site_id').unique().on('events').columns(['site', 'id']).execute();
  await db.schema.createIndex('events_contact_ts').on('events').columns(['contact_id', 'ts']).execute();
  await db.schema.createIndex('events_site_ts').on('events').columns(['site', 'ts']).execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('user_id', 'text')
    .addColumn('name', 'text')
    .addColumn('company', 'text')
    .addColumn('title', 'text')
    .addColumn('domain', 'text')
    .addColumn('traits', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('fit', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('engagement', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('grade', 'text')
    .addColumn('temperature', 'text')
    .addColumn('breakdown', 'text')
    .addColumn('scored_at', 'bigint')
    .addColumn('ruleset_version', 'integer')
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('stage_changed_at', 'bigint', (c) => c.notNull())
    .addColumn('mql_at', 'bigint')
    .addColumn('sql_at', 'bigint')
    .addColumn('first_touch', 'text')
    .addColumn('last_touch', 'text')
    .addColumn('source', 'text')
    .addColumn('medium', 'text')
    .addColumn('campaign', 'text')
    .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // One contact per email and per user id within a site: the database, not the code, prevents duplicates.
  await db.schema
    .createIndex('contacts_site_email')
    .unique()
    .on('contacts')
    .columns(['site', 'email'])
    .execute();
  await db.schema
    .createIndex('contacts_site_user')
    .unique()
    .on('contacts')
    .columns(['site', 'user_id'])
    .execute();
  // Keyset pagination for the lead feed's three sorts.
  await db.schema.createIndex('contacts_score').on('contacts').columns(['score', 'id']).execute();
  await db.schema.createIndex('contacts_last_seen').on('contacts').columns(['last_seen', 'id']).execute();
  await db.schema
    .createIndex('contacts_stage_changed')
    .on('contacts')
    .columns(['stage_changed_at', 'id'])
    .execute();
  await db.schema.createIndex('contacts_stage').on('contacts').columns(['stage', 'score']).execute();
  await db.schema.createIndex('contacts_domain').on('contacts').columns(['domain']).execute();

  await db.schema
    .createTable('anon_ids')
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('anon', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('anon_ids_pk', ['site', 'anon'])
    .execute();
  await db.schema.createIndex('anon_ids_contact').on('anon_ids').columns(['contact_id']).execute();

  await db.schema
    .createTable('transitions')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('from_stage', 'text', (c) => c.notNull())
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('event_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('ruleset_version', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('transitions_contact')
    .on('transitions')
    .columns(['contact_id', 'at'])
    .execute();
  await db.schema.createIndex('transitions_at').on('transitions').columns(['at']).execute();

  await db.schema
    .createTable('identity_links')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_contact', 'text')
    .addColumn('to_contact', 'text')
    .addColumn('anon', 'text')
    .addColumn('email', 'text')
    .addColumn('detail', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('erasures')
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('erasures_pk', ['site', 'hash'])
    .execute();

  await db.schema
    .createTable('rulesets')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('ruleset', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'meta',
    'rulesets',
    'erasures',
    'outbox',
    'identity_links',
    'transitions',
    'anon_ids',
    'contacts',
    'events',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
