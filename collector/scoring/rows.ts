/**
 * Stored rows → the scoring core's model: the only place that knows how events and contacts are
 * kept in the database, so the core stays pure.
 */
import type { Kysely } from 'kysely';
import { readJsonObject, readTraits } from '../json-column';
import type { ContactRow, Database, EventRow } from '../storage/schema';
import type { ScoringEvent, ScoringProfile } from './core/events';

/** The columns scoring needs from `events` (a narrow select keeps rescoring fast). */
export const SCORING_COLUMNS = [
  'id',
  'contact_id',
  'type',
  'name',
  'ts',
  'session',
  'path',
  'props',
  'traits',
  'user',
  'bot',
] as const satisfies readonly (keyof EventRow)[];

export type ScoringRow = Pick<EventRow, (typeof SCORING_COLUMNS)[number]>;

export function scoringEventOf(row: ScoringRow): ScoringEvent {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    ts: Number(row.ts),
    session: row.session,
    path: row.path,
    props: readJsonObject(row.props, 'events.props'),
    traits: readJsonObject(row.traits, 'events.traits'),
    user: row.user,
    bot: Number(row.bot) === 1,
  };
}

/** The contact columns a profile is built from (the place columns are from migration 0009). */
export const PROFILE_COLUMNS = [
  'email',
  'user_id',
  'traits',
  'country',
  'asn',
  'net_org',
  'net_kind',
] as const satisfies readonly (keyof ContactRow)[];

/** A contact's profile; the place columns may be left out (scoring then sees no place). */
export function profileOf(
  contact: Pick<ContactRow, 'email' | 'user_id' | 'traits'> &
    Partial<Pick<ContactRow, 'country' | 'asn' | 'net_org' | 'net_kind'>>,
): ScoringProfile {
  const net =
    contact.asn !== null && contact.asn !== undefined
      ? { asn: Number(contact.asn), org: contact.net_org ?? '', kind: contact.net_kind ?? '' }
      : null;
  return {
    email: contact.email,
    user_id: contact.user_id,
    traits: readTraits(contact.traits),
    place: { country: contact.country ?? null, net },
  };
}

/** Every event of these contacts, as the core reads them, by contact (one query). */
export async function scoringEventsOf(
  db: Kysely<Database>,
  contactIds: readonly string[],
): Promise<Map<string, ScoringEvent[]>> {
  const byContact = new Map<string, ScoringEvent[]>();
  if (contactIds.length === 0) return byContact;
  const rows = await db
    .selectFrom('events')
    .select(SCORING_COLUMNS)
    .where('contact_id', 'in', contactIds)
    .execute();
  for (const row of rows) {
    const list = byContact.get(row.contact_id!);
    if (list) list.push(scoringEventOf(row));
    else byContact.set(row.contact_id!, [scoringEventOf(row)]);
  }
  return byContact;
}
