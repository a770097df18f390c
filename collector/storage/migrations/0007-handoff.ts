/**
 * Hand-off: a contact's owner (and why), its SLA clock, the history of assignments, and the
 * round-robin credits each routing pool carries from one lead to the next.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../database';

const CONTACT_COLUMNS: [name: string, type: 'text' | 'bigint'][] = [
  ['owner', 'text'],
  ['owner_reason', 'text'],
  ['owner_at', 'bigint'],
  ['sla_started_at', 'bigint'],
  ['sla_due_at', 'bigint'],
  ['sla_answered_at', 'bigint'],
  ['sla_breached_at', 'bigint'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const serial = dialectOf(db) === 'postgres' ? 'bigserial' : 'integer';
  for (const [name, type] of CONTACT_COLUMNS) {
    await db.schema.alterTable('contacts').addColumn(name, type).execute();
  }
  // "My leads" and account-sticky routing look contacts up by owner and by (site, domain).
  await db.schema.createIndex('contacts_owner').on('contacts').columns(['owner', 'score', 'id']).execute();
  await db.schema.createIndex('contacts_site_domain').on('contacts').columns(['site', 'domain']).execute();
  // The SLA worker looks for running clocks that ran out.
  await db.schema.createIndex('contacts_sla_due').on('contacts').column('sla_due_at').execute();

  await db.schema
    .createTable('assignments')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('previous_owner', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    /** `routing`, `sla`, or the API key / dashboard user that reassigned. */
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('assignments_contact')
    .on('assignments')
    .columns(['contact_id', 'at'])
    .execute();

  await db.schema
    .createTable('routing_credits')
    .addColumn('pool', 'text', (c) => c.primaryKey())
    .addColumn('credits', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('routing_credits').ifExists().execute();
  await db.schema.dropTable('assignments').ifExists().execute();
  for (const name of ['contacts_owner', 'contacts_site_domain', 'contacts_sla_due'])
    await db.schema.dropIndex(name).ifExists().execute();
  for (const [name] of CONTACT_COLUMNS) await db.schema.alterTable('contacts').dropColumn(name).execute();
}
