/**
 * `UPDATE table SET … WHERE id = ?` for the hot write path. Ingestion updates every touched
 * contact once or twice per group commit; building each of those statements with Kysely's
 * builder costs more than SQLite's update itself, so each shape (table + set of columns) is
 * compiled once per dialect and then only re-bound.
 */
import { CompiledQuery, type Kysely, type Updateable } from 'kysely';
import type { Database } from './schema';

export type TableWithId = {
  [T in keyof Database]: Database[T] extends { id: unknown } ? T : never;
}[keyof Database];

const templates = new WeakMap<object, Map<string, { sql: string; order: number[] }>>();

export async function updateById<T extends TableWithId>(
  db: Kysely<Database>,
  table: T,
  id: string,
  changes: Updateable<Database[T]>,
): Promise<void> {
  const row = changes as Record<string, unknown>;
  // Like Kysely's set(), an undefined value means "leave the column alone".
  const columns = Object.keys(row).filter((column) => row[column] !== undefined);
  const adapter = db.getExecutor().adapter;
  let byShape = templates.get(adapter);
  if (!byShape) {
    byShape = new Map();
    templates.set(adapter, byShape);
  }
  const key = `${table}:${columns.join(',')}`;
  let template = byShape.get(key);
  if (!template) {
    // Compiled with each value's position as its placeholder, so the parameter order is read
    // off the result rather than assumed.
    const placeholders = Object.fromEntries(columns.map((column, i) => [column, i]));
    const compiled = db
      .updateTable(table as keyof Database)
      // biome-ignore lint/suspicious/noExplicitAny: positions stand in for the row's values
      .set(placeholders as any)
      // biome-ignore lint/suspicious/noExplicitAny: every table here has an id column
      .where('id' as any, '=', columns.length)
      .compile();
    template = { sql: compiled.sql, order: compiled.parameters.map(Number) };
    byShape.set(key, template);
  }
  const values = columns.map((column) => row[column]);
  values.push(id);
  await db.executeQuery(
    CompiledQuery.raw(
      template.sql,
      template.order.map((i) => values[i]),
    ),
  );
}
