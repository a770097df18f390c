/**
 * Campaign spend, one row per (day, source, medium, campaign): what the ad platforms charged,
 * imported from their cost exports. A re-import of the same day and campaign replaces the row,
 * so importing a file twice changes nothing. Names are stored already normalised
 * (ingest/source-name.ts) so they meet attributed touches on the same key; `campaign` is ''
 * for spend not tied to a campaign (NULL would make every such row distinct in the key).
 * Money is an integer of millionths of the reporting currency, so sums are exact.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('spend')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('cost_micros', 'bigint', (c) => c.notNull())
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('impressions', 'bigint')
    .addColumn('clicks', 'bigint')
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('spend_pkey', ['day', 'source', 'medium', 'campaign'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('spend').ifExists().execute();
}
