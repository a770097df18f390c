/**
 * Where visitors come from: each event keeps the country and network looked up from its
 * address at ingest (the address itself is truncated, as before), and each contact keeps the
 * latest of them so fit rules and the lead feed can use it without reading the log.
 */
import type { Kysely } from 'kysely';

const PLACE_COLUMNS = [
  ['country', 'text'],
  ['asn', 'bigint'],
  ['net_org', 'text'],
  ['net_kind', 'text'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['events', 'contacts']) {
    for (const [column, type] of PLACE_COLUMNS) {
      await db.schema.alterTable(table).addColumn(column, type).execute();
    }
  }
  await db.schema.createIndex('contacts_site_country').on('contacts').columns(['site', 'country']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('contacts_site_country').ifExists().execute();
  for (const table of ['events', 'contacts']) {
    for (const [column] of PLACE_COLUMNS) await db.schema.alterTable(table).dropColumn(column).execute();
  }
}
