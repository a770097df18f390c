/**
 * Endpoints that answered 410 Gone. The receiver told us to stop, so that URL gets nothing more
 * (stored in the database, so every process and every restart agrees). Pointing the webhook at
 * a new URL in the config starts deliveries again.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';

const PREFIX = 'webhook_disabled:';

export async function disabledUrls(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('meta').select('key').where('key', 'like', `${PREFIX}%`).execute();
  return new Set(rows.map((r) => r.key.slice(PREFIX.length)));
}

export async function disableUrl(db: Kysely<Database>, url: string, now: number): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key: `${PREFIX}${url}`, value: JSON.stringify({ status: 410, at: now }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}
