/**
 * Stage 5: the event log is the source of truth. On PostgreSQL every row of the group goes in
 * with one statement (storage/insert-many.ts); on SQLite with one multi-row INSERT per chunk; the statement for each chunk size is built by Kysely once and reused (the builder
 * costs more than the insert itself on this path).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { insertJsonRows, insertsRowsAsJson } from '../storage/insert-many';
import type { Database, NewEventRow } from '../storage/schema';

const COLUMNS = [
  'id',
  'site',
  'contact_id',
  'anon',
  'session',
  'type',
  'name',
  'ts',
  'received_at',
  'url',
  'path',
  'ref',
  'ref_kind',
  'title',
  'props',
  'traits',
  'user',
  'campaign',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'browser',
  'os',
  'device',
  'ip',
  'country',
  'asn',
  'net_org',
  'net_kind',
  'bot',
  'flags',
] as const satisfies readonly (keyof NewEventRow)[];

const CHUNK = 100;

const templates = new WeakMap<object, Map<number, CompiledQuery>>();

/** `INSERT … VALUES (…)×n ON CONFLICT (site, id) DO NOTHING`, compiled once per size and dialect. */
function insertTemplate(db: Kysely<Database>, rows: number): CompiledQuery {
  const adapter = db.getExecutor().adapter;
  let bySize = templates.get(adapter);
  if (!bySize) {
    bySize = new Map();
    templates.set(adapter, bySize);
  }
  let template = bySize.get(rows);
  if (!template) {
    const placeholder = Object.fromEntries(COLUMNS.map((c) => [c, null])) as unknown as NewEventRow;
    template = db
      .insertInto('events')
      .values(Array.from({ length: rows }, () => placeholder))
      .onConflict((oc) => oc.columns(['site', 'id']).doNothing())
      .compile();
    bySize.set(rows, template);
  }
  return template;
}

export async function insertEvents(trx: Kysely<Database>, rows: NewEventRow[]): Promise<void> {
  // PostgreSQL: the whole group in one statement, one round trip.
  if (insertsRowsAsJson(trx)) return insertJsonRows(trx, 'events', COLUMNS, rows, ['site', 'id']);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const parameters: unknown[] = [];
    for (const row of chunk) for (const column of COLUMNS) parameters.push(row[column] ?? null);
    const template = insertTemplate(trx, chunk.length);
    await trx.executeQuery(CompiledQuery.raw(template.sql, parameters));
  }
}
