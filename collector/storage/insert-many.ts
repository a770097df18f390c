/**
 * Many rows in one INSERT on PostgreSQL, however many: the rows travel as a single JSON
 * parameter and `jsonb_populate_recordset` turns them back into rows of the table's own type
 * (so every value takes its column's type, with no casts written here). A multi-row VALUES list
 * would need a statement per size and hits the limit of 65,535 bound parameters; this is one
 * statement text and one round trip for a whole group commit. SQLite has no round trips to
 * save and keeps its prepared multi-row VALUES (ingest/persist.ts).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { dialectOf } from './database';
import type { Database } from './schema';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Whether insertJsonRows can be used on this database (PostgreSQL). */
export const insertsRowsAsJson = (db: Kysely<Database>): boolean => dialectOf(db) === 'postgres';

/** `INSERT … SELECT … FROM jsonb_populate_recordset($1) ON CONFLICT (…) DO NOTHING`, PostgreSQL only. */
export async function insertJsonRows<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  columns: readonly (keyof Database[T] & string)[],
  rows: readonly Record<string, unknown>[],
  conflictColumns: readonly (keyof Database[T] & string)[],
): Promise<void> {
  if (rows.length === 0) return;
  const list = columns.map(quote).join(', ');
  await db.executeQuery(
    CompiledQuery.raw(
      `insert into ${quote(table)} (${list}) select ${list} ` +
        `from jsonb_populate_recordset(null::${quote(table)}, $1::jsonb) ` +
        `on conflict (${conflictColumns.map(quote).join(', ')}) do nothing`,
      [JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))))],
    ),
  );
}
