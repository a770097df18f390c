/**
 * Per-row updates of many rows by id, each row with its own values (and its own set of
 * columns). On PostgreSQL that is one statement for all the rows, whatever their number: every
 * statement is a network round trip, and a group commit updates every contact it touches. The
 * rows travel as one JSON array, turned back into rows of the table's own type by
 * `jsonb_populate_record`, so each value takes its column's type with no casts written here; a
 * column a row does not mention keeps its value. On SQLite (in-process, no round trips) each
 * row is its own prepared UPDATE of only the columns it changes, which is what SQLite does
 * fastest (a column in the SET list costs its indexes an entry rewrite even when unchanged).
 */
import { CompiledQuery, type Kysely, type Updateable } from 'kysely';
import { dialectOf } from './database';
import type { Database } from './schema';
import { type TableWithId, updateById } from './update-by-id';

export interface RowUpdate<T extends TableWithId> {
  id: string;
  changes: Updateable<Database[T]>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function updateManyById<T extends TableWithId>(
  db: Kysely<Database>,
  table: T,
  updates: readonly RowUpdate<T>[],
): Promise<void> {
  if (updates.length === 0) return;
  if (dialectOf(db) !== 'postgres' || updates.length === 1) {
    for (const { id, changes } of updates) await updateById(db, table, id, changes);
    return;
  }
  // One entry per id (later changes win): UPDATE … FROM applies only one source row per target.
  const byId = new Map<string, Record<string, unknown>>();
  for (const { id, changes } of updates) {
    const row = byId.get(id) ?? { id };
    for (const [column, value] of Object.entries(changes as Record<string, unknown>)) {
      // Like Kysely's set(), an undefined value means "leave the column alone".
      if (value !== undefined) row[column] = value;
    }
    byId.set(id, row);
  }
  const columns = [...new Set([...byId.values()].flatMap((row) => Object.keys(row)))]
    .filter((column) => column !== 'id')
    .sort();
  if (columns.length === 0) return;
  const assignments = columns.map((column) => {
    const c = quote(column);
    return `${c} = case when e.j ? '${column.replace(/'/g, "''")}' then v.${c} else t.${c} end`;
  });
  const name = quote(table);
  await db.executeQuery(
    CompiledQuery.raw(
      `update ${name} as t set ${assignments.join(', ')} ` +
        `from jsonb_array_elements($1::jsonb) as e(j), jsonb_populate_record(null::${name}, e.j) as v ` +
        'where t.id = v.id',
      [JSON.stringify([...byId.values()])],
    ),
  );
}
