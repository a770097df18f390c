/** Runs pending migrations with Kysely's Migrator; refuses to start on a failed one. */
import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import { dialectOf } from './database';
import { migrations } from './migrations';
import type { Database } from './schema';

const isVanishedSchema = (error: unknown): boolean =>
  error instanceof Error && (error as { code?: string }).code === '3F000';

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // On PostgreSQL Kysely looks for its migration tables in every schema unless told which one;
  // pinned to ours, another schema's tables (other tenants, test runs) cannot hide missing ones.
  const schema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Numbers are handed out per change and land in any order: a database that already ran
    // 0012 must still take a later-merged 0009.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let outcome: MigrationResultSet = await migrator.migrateToLatest();
  // Kysely's table introspection reads every schema; one dropped at that moment (another
  // deployment or test run sharing the database) fails it with "schema … does not exist".
  // Nothing was migrated then, so simply look again.
  for (let attempt = 1; attempt < 5 && schema && isVanishedSchema(outcome.error); attempt++) {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
