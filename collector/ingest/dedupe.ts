/**
 * Stage 3: drop event ids we already stored. A retried batch (the SDK's, or Segment's
 * messageId) is acknowledged again and changes nothing. The unique (site, id) index is the
 * final word for races between processes; this read keeps identity from re-running.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import type { PreparedEvent } from './types';

export async function dropDuplicates(
  trx: Kysely<Database>,
  site: string,
  events: PreparedEvent[],
): Promise<{ fresh: PreparedEvent[]; duplicates: number }> {
  const seen = new Set<string>();
  const unique: PreparedEvent[] = [];
  for (const event of events) {
    if (seen.has(event.row.id)) continue;
    seen.add(event.row.id);
    unique.push(event);
  }
  const stored = new Set(
    (
      await trx
        .selectFrom('events')
        .select('id')
        .where('site', '=', site)
        .where('id', 'in', [...seen])
        .execute()
    ).map((row) => row.id),
  );
  const fresh = stored.size === 0 ? unique : unique.filter((event) => !stored.has(event.row.id));
  return { fresh, duplicates: events.length - fresh.length };
}
