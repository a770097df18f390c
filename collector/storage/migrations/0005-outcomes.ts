/**
 * Outcomes: what happened to a lead after the scoring had its say — deal results imported from a
 * CRM (`POST /api/outcomes`). The audit reads them beside stage transitions. `external_id` is the
 * CRM's id for the row: importing the same file twice stores each outcome once (unique per site;
 * both databases allow any number of NULLs in a unique index).
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../database';

export async function up(db: Kysely<unknown>): Promise<void> {
  const serial = dialectOf(db) === 'postgres' ? 'bigserial' : 'integer';
  await db.schema
    .createTable('outcomes')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('amount', 'double precision')
    .addColumn('currency', 'text')
    .addColumn('external_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outcomes_contact').on('outcomes').columns(['contact_id', 'at']).execute();
  await db.schema
    .createIndex('outcomes_external')
    .on('outcomes')
    .columns(['site', 'external_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outcomes').ifExists().execute();
}
