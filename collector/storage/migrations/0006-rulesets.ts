/**
 * Rulesets live in the database: every version is immutable and says who made it, when, why and
 * from which version; drafts are edited freely until one is published; every publish and rollback
 * is in a log with the preview summary at the time and the progress of its rescore. Which version
 * is live is one row in `meta` (`rulesets.live`), read by every group commit.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../database';

export async function up(db: Kysely<unknown>): Promise<void> {
  const serial = dialectOf(db) === 'postgres' ? 'bigserial' : 'integer';
  // Versions stored before this migration came from the config file.
  await db.schema.alterTable('rulesets').addColumn('author', 'text').execute();
  await db.schema.alterTable('rulesets').addColumn('note', 'text').execute();
  await db.schema.alterTable('rulesets').addColumn('parent', 'integer').execute();

  await db.schema
    .createTable('ruleset_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ruleset', 'text', (c) => c.notNull())
    /** The version it started from (null: imported JSON). */
    .addColumn('base_version', 'integer')
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    /** The version it became, once published (a published draft is read-only). */
    .addColumn('published_version', 'integer')
    /** The summary of its latest impact preview (JSON), copied into the log when it is published. */
    .addColumn('preview', 'text')
    .execute();

  await db.schema
    .createTable('ruleset_log')
    .addColumn('id', serial, (c) => c.primaryKey())
    /** publish | rollback | seed */
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('from_version', 'integer')
    .addColumn('draft_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    /** The impact preview's summary when it was published (JSON). */
    .addColumn('summary', 'text')
    /** running | done | stopped (a later publish took over) */
    .addColumn('rescore_status', 'text', (c) => c.notNull())
    .addColumn('rescore_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rescore_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rescore_finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('ruleset_log_version').on('ruleset_log').columns(['version']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ruleset_log').ifExists().execute();
  await db.schema.dropTable('ruleset_drafts').ifExists().execute();
  for (const column of ['parent', 'note', 'author']) {
    await db.schema.alterTable('rulesets').dropColumn(column).execute();
  }
}
