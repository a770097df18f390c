/**
 * The installation's erasure key: 32 random bytes made by the first process that needs it and
 * kept in the database (`meta`), so every process on a shared PostgreSQL, and a restored backup,
 * hash alike. Two processes starting together both try to insert; the first insert wins and both
 * read the winner.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createErasureHasher, type ErasureHasher, KEYED_PREFIX } from './privacy';
import type { Database } from './storage/schema';

const KEY = 'erasure_key';

export async function loadErasureHasher(db: Kysely<Database>): Promise<ErasureHasher> {
  await db
    .insertInto('meta')
    .values({ key: KEY, value: randomBytes(32).toString('base64') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', KEY).executeTakeFirstOrThrow();
  // Rows written before keyed hashes: no new ones appear, so checking once at start is enough.
  const legacy = await db
    .selectFrom('erasures')
    .select('hash')
    .where('hash', 'not like', `${KEYED_PREFIX}%`)
    .limit(1)
    .executeTakeFirst();
  return createErasureHasher(Buffer.from(row.value, 'base64'), legacy !== undefined);
}
