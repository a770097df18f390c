/**
 * Erasure that stays erased (GDPR art. 17), and leaves nothing of the person in the file.
 *
 * Every identifier the person was known by — their anonymous ids, emails and user ids (Segment's
 * included) — is recorded as a keyed hash (privacy.ts), so later events carrying any of them are
 * dropped and never bring the person back (nor fire a webhook). Then everything that carries one
 * of those identifiers is deleted, not only what is linked to the contact:
 * - the contact, their events, anonymous ids, transitions, identity links and webhook deliveries;
 * - events from their browsers that no contact owns (bot-flagged events keep `contact_id` NULL)
 *   or that another contact owns (a shared browser);
 * - events of other contacts that name their email or user id (an unsigned claim, a form filled
 *   in for them), in the user field or in traits and props.
 * SQLite runs with `secure_delete`, so deleted rows are overwritten rather than left in free
 * pages, and the WAL is checkpointed and truncated after the erasure (storage/database.ts).
 *
 * The events table has no index on anonymous id or user (an index would cost every insert), so
 * finding the events of other contacts is a scan. It runs before the write transaction, as a
 * read that does not hold up ingestion; the transaction then deletes what it found plus whatever
 * arrived after the scan (a range of the primary key), and rescans only if the person gained an
 * identifier in between.
 */
import { type Kysely, sql } from 'kysely';
import type { Services } from '../services';
import { checkpointAfterErasure, writeTransaction } from '../storage/database';
import type { Database } from '../storage/schema';

export interface ErasureResult {
  erased: true;
  id: string;
  events: number;
  anonymous_ids: number;
  identifiers: number;
}

type Kind = 'anon' | 'email' | 'user';

interface Person {
  site: string;
  /** Identifier → what it is. */
  values: Map<string, Kind>;
  anons: string[];
  /** Emails and user ids. */
  names: string[];
  /** Anonymous ids mapped to the contact (for the result). */
  mapped: number;
}

async function identifiers(db: Kysely<Database>, id: string): Promise<Person | undefined> {
  const contact = await db
    .selectFrom('contacts')
    .select(['site', 'email', 'user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!contact) return undefined;
  const mapped = await db.selectFrom('anon_ids').select('anon').where('contact_id', '=', id).execute();
  const seen = await db
    .selectFrom('events')
    .select(['anon', 'user'])
    .distinct()
    .where('contact_id', '=', id)
    .execute();
  const values = new Map<string, Kind>();
  for (const row of mapped) values.set(row.anon, 'anon');
  for (const row of seen) if (row.anon) values.set(row.anon, 'anon');
  // Every email/user id they identified with, not only the one on the profile now.
  for (const row of seen) if (row.user) values.set(row.user, row.user.includes('@') ? 'email' : 'user');
  if (contact.user_id) values.set(contact.user_id, 'user');
  if (contact.email) values.set(contact.email, 'email');
  const of = (...kinds: Kind[]) => [...values].filter(([, kind]) => kinds.includes(kind)).map(([v]) => v);
  return { site: contact.site, values, anons: of('anon'), names: of('email', 'user'), mapped: mapped.length };
}

/** `%value%` for LIKE, with LIKE's own wildcards escaped (`_` is common in emails). */
const containing = (value: string) => `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Events on the site, owned by anyone or no one, that carry one of the person's identifiers.
 * Emails are also looked for inside traits and props (JSON text), case-insensitively.
 */
function carrying(db: Kysely<Database>, person: Person) {
  const emails = person.names.filter((name) => name.includes('@'));
  return db
    .selectFrom('events')
    .where('site', '=', person.site)
    .where((eb) =>
      eb.or([
        ...(person.anons.length > 0 ? [eb('anon', 'in', person.anons)] : []),
        ...(person.names.length > 0 ? [eb('user', 'in', person.names)] : []),
        ...emails.flatMap((email) => [
          sql<boolean>`lower(traits) like ${containing(email)} escape '\\'`,
          sql<boolean>`lower(props) like ${containing(email)} escape '\\'`,
        ]),
      ]),
    );
}

const sameIdentifiers = (a: Person, b: Person) =>
  a.values.size === b.values.size && [...a.values.keys()].every((value) => b.values.has(value));

export async function eraseContact(services: Services, id: string): Promise<ErasureResult | undefined> {
  // The scan, outside the write transaction (see the header).
  const before = await identifiers(services.db, id);
  if (!before) return undefined;
  const last = await services.db
    .selectFrom('events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  const scannedTo = Number(last?.seq ?? 0);
  const found = (
    await carrying(services.db, before).select('seq').where('seq', '<=', scannedTo).execute()
  ).map((row) => Number(row.seq));

  const result = await writeTransaction(services.db, async (trx) => {
    const person = await identifiers(trx, id);
    if (!person) return undefined;
    const now = services.clock();
    const hashes = new Map<string, Kind>();
    for (const [value, kind] of person.values) hashes.set(services.erasure.keyed(person.site, value), kind);
    if (hashes.size > 0) {
      await trx
        .insertInto('erasures')
        .values([...hashes].map(([hash, kind]) => ({ site: person.site, hash, kind, erased_at: now })))
        .onConflict((oc) => oc.columns(['site', 'hash']).doNothing())
        .execute();
    }
    let deleted = Number(
      (await trx.deleteFrom('events').where('contact_id', '=', id).executeTakeFirst()).numDeletedRows,
    );
    if (sameIdentifiers(before, person)) {
      for (let i = 0; i < found.length; i += 500) {
        const chunk = found.slice(i, i + 500);
        const r = await trx.deleteFrom('events').where('seq', 'in', chunk).executeTakeFirst();
        deleted += Number(r.numDeletedRows);
      }
      const tail = await carrying(trx, person).where('seq', '>', scannedTo).select('seq').execute();
      if (tail.length > 0) {
        const r = await trx
          .deleteFrom('events')
          .where(
            'seq',
            'in',
            tail.map((row) => Number(row.seq)),
          )
          .executeTakeFirst();
        deleted += Number(r.numDeletedRows);
      }
    } else {
      // They gained an identifier since the scan: scan again, inside the transaction.
      const all = (await carrying(trx, person).select('seq').execute()).map((row) => Number(row.seq));
      for (let i = 0; i < all.length; i += 500) {
        const r = await trx
          .deleteFrom('events')
          .where('seq', 'in', all.slice(i, i + 500))
          .executeTakeFirst();
        deleted += Number(r.numDeletedRows);
      }
    }
    await trx
      .deleteFrom('anon_ids')
      .where((eb) =>
        eb.or([
          eb('contact_id', '=', id),
          ...(person.anons.length > 0
            ? [eb.and([eb('site', '=', person.site), eb('anon', 'in', person.anons)])]
            : []),
        ]),
      )
      .execute();
    await trx.deleteFrom('transitions').where('contact_id', '=', id).execute();
    await trx.deleteFrom('outcomes').where('contact_id', '=', id).execute();
    await trx.deleteFrom('outbox').where('contact_id', '=', id).execute();
    await trx
      .deleteFrom('identity_links')
      .where((eb) =>
        eb.or([
          eb('from_contact', '=', id),
          eb('to_contact', '=', id),
          ...(person.values.size > 0 ? [eb('email', 'in', [...person.values.keys()])] : []),
          ...(person.anons.length > 0 ? [eb('anon', 'in', person.anons)] : []),
        ]),
      )
      .execute();
    await trx.deleteFrom('contacts').where('id', '=', id).execute();
    return {
      erased: true as const,
      id,
      events: deleted,
      anonymous_ids: person.mapped,
      identifiers: hashes.size,
    };
  });
  // Deleted rows are overwritten in the pages (secure_delete); the WAL still holds the pages as
  // they were, until a checkpoint copies the new ones over and the WAL is truncated.
  if (result) await checkpointAfterErasure(services.db);
  return result;
}
