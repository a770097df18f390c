/**
 * Erasure that stays erased (GDPR art. 17). In one write transaction: record a one-way hash of
 * every identifier the person was known by (their anonymous ids, email, user id and any other
 * identity they sent), then delete the contact and everything derived from them. The ingest
 * pipeline drops later events carrying any of those hashes, so replayed beacons never bring the
 * person back — and since nothing is stored again, no transition and no webhook follow.
 */
import type { Kysely } from 'kysely';
import { erasureHash } from '../privacy';
import type { Services } from '../services';
import { writeTransaction } from '../storage/database';
import type { Database } from '../storage/schema';

export interface ErasureResult {
  erased: true;
  id: string;
  events: number;
  anonymous_ids: number;
  identifiers: number;
}

async function identifiers(trx: Kysely<Database>, id: string) {
  const contact = await trx
    .selectFrom('contacts')
    .select(['site', 'email', 'user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!contact) return undefined;
  const mapped = await trx.selectFrom('anon_ids').select('anon').where('contact_id', '=', id).execute();
  const seen = await trx
    .selectFrom('events')
    .select('anon')
    .distinct()
    .where('contact_id', '=', id)
    .where('anon', 'is not', null)
    .execute();
  // Every email/user id they identified with, not only the one on the profile now.
  const users = await trx
    .selectFrom('events')
    .select('user')
    .distinct()
    .where('contact_id', '=', id)
    .where('user', 'is not', null)
    .execute();
  const values = new Map<string, string>();
  for (const row of [...mapped, ...seen]) if (row.anon) values.set(row.anon, 'anon');
  for (const row of users) if (row.user) values.set(row.user, 'user');
  if (contact.user_id) values.set(contact.user_id, 'user');
  if (contact.email) values.set(contact.email, 'email');
  return { site: contact.site, values, anons: mapped.length };
}

export async function eraseContact(services: Services, id: string): Promise<ErasureResult | undefined> {
  return writeTransaction(services.db, async (trx) => {
    const found = await identifiers(trx, id);
    if (!found) return undefined;
    const now = services.clock();
    const hashes = new Map<string, string>();
    for (const [value, kind] of found.values) hashes.set(erasureHash(found.site, value), kind);
    if (hashes.size > 0) {
      await trx
        .insertInto('erasures')
        .values([...hashes].map(([hash, kind]) => ({ site: found.site, hash, kind, erased_at: now })))
        .onConflict((oc) => oc.columns(['site', 'hash']).doNothing())
        .execute();
    }
    const events = await trx.deleteFrom('events').where('contact_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('anon_ids').where('contact_id', '=', id).execute();
    await trx.deleteFrom('transitions').where('contact_id', '=', id).execute();
    await trx.deleteFrom('outcomes').where('contact_id', '=', id).execute();
    await trx.deleteFrom('outbox').where('contact_id', '=', id).execute();
    await trx
      .deleteFrom('identity_links')
      .where((eb) =>
        eb.or([
          eb('from_contact', '=', id),
          eb('to_contact', '=', id),
          ...(found.values.size > 0 ? [eb('email', 'in', [...found.values.keys()])] : []),
        ]),
      )
      .execute();
    await trx.deleteFrom('contacts').where('id', '=', id).execute();
    return {
      erased: true as const,
      id,
      events: Number(events.numDeletedRows),
      anonymous_ids: found.anons,
      identifiers: hashes.size,
    };
  });
}
