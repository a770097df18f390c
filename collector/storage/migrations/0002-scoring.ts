/**
 * Scoring: the decay refresh looks for contacts whose stored score is oldest, so `scored_at`
 * gets an index (without it every refresh pass would scan all contacts).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('contacts_scored_at').on('contacts').columns(['scored_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('contacts_scored_at').ifExists().execute();
}
