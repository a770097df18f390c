/**
 * When each contact became a lead, an MQL and an SQL. MQL/SQL times are the contact's `mql_at`/
 * `sql_at`, falling back to the first transition into that stage (an SQL that never was an MQL
 * passed that step when it became an SQL); a lead is born at its first (non-bot) identify.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema';
import type { ReportRange } from './range';

export interface Conversions {
  lead?: number;
  mql?: number;
  sql?: number;
}

export const CHUNK = 500;

export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const inRange = (ms: number | null | undefined, range: ReportRange): ms is number =>
  typeof ms === 'number' && ms >= range.from && ms < range.to;

/** First transition into mql / sql for each contact (for contacts whose columns were not set). */
export async function firstQualified(db: Kysely<Database>, contactIds: string[]) {
  const found = new Map<string, { mql?: number; sql?: number }>();
  for (const ids of chunks(contactIds)) {
    const rows = await db
      .selectFrom('transitions')
      .select(['contact_id', 'to_stage', (eb) => eb.fn.min<number>('at').as('at')])
      .where('contact_id', 'in', ids)
      .where('to_stage', 'in', ['mql', 'sql'])
      .groupBy(['contact_id', 'to_stage'])
      .execute();
    for (const row of rows) {
      const entry = found.get(row.contact_id) ?? {};
      entry[row.to_stage as 'mql' | 'sql'] = Number(row.at);
      found.set(row.contact_id, entry);
    }
  }
  return found;
}

async function leadsBorn(db: Kysely<Database>, range: ReportRange): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('events')
    .select(['contact_id', (eb) => eb.fn.min<number>('ts').as('ts')])
    .where('site', 'in', range.sites)
    .where('ts', '>=', range.from)
    .where('ts', '<', range.to)
    .where('type', '=', 'identify')
    .where('bot', '=', 0)
    .where('contact_id', 'is not', null)
    .groupBy('contact_id')
    .execute();
  const born = new Map(rows.map((r) => [r.contact_id!, Number(r.ts)]));
  // Identified before the range: not a new lead in it.
  for (const ids of chunks([...born.keys()])) {
    const earlier = await db
      .selectFrom('events')
      .select('contact_id')
      .distinct()
      .where('contact_id', 'in', ids)
      .where('type', '=', 'identify')
      .where('bot', '=', 0)
      .where('ts', '<', range.from)
      .execute();
    for (const row of earlier) born.delete(row.contact_id!);
  }
  return born;
}

/** Contacts that became a lead, an MQL or an SQL inside the range, with when. */
export async function conversionsInRange(
  db: Kysely<Database>,
  range: ReportRange,
): Promise<Map<string, Conversions>> {
  const result = new Map<string, Conversions>();
  for (const [id, ts] of await leadsBorn(db, range)) result.set(id, { lead: ts });

  const qualified = await db
    .selectFrom('contacts')
    .select(['id', 'mql_at', 'sql_at'])
    .where('site', 'in', range.sites)
    .where((eb) =>
      eb.or([
        eb.and([eb('mql_at', '>=', range.from), eb('mql_at', '<', range.to)]),
        eb.and([eb('sql_at', '>=', range.from), eb('sql_at', '<', range.to)]),
      ]),
    )
    .execute();
  const moved = await db
    .selectFrom('transitions')
    .select('contact_id')
    .distinct()
    .where('site', 'in', range.sites)
    .where('at', '>=', range.from)
    .where('at', '<', range.to)
    .where('to_stage', 'in', ['mql', 'sql'])
    .execute();
  const columns = new Map(qualified.map((c) => [c.id, c]));
  const ids = [...new Set([...columns.keys(), ...moved.map((m) => m.contact_id)])];
  const transitions = await firstQualified(db, ids);
  for (const id of ids) {
    const column = columns.get(id);
    const sql = column?.sql_at ?? transitions.get(id)?.sql;
    // An SQL that skipped MQL (a demo request) passed the MQL step at the same moment.
    const mql = column?.mql_at ?? transitions.get(id)?.mql ?? sql;
    const entry = result.get(id) ?? {};
    if (inRange(mql, range)) entry.mql = mql;
    if (inRange(sql, range)) entry.sql = sql;
    if (entry.lead !== undefined || entry.mql !== undefined || entry.sql !== undefined) result.set(id, entry);
  }
  return result;
}
