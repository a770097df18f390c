/**
 * After the events are in: bring each contact's activity columns up to date — first/last seen,
 * and first/last touch (the campaign or referrer that brought them), which attribution and the
 * feed's source filter read. Event time, not arrival order, decides what is first and last.
 */
import type { Kysely } from 'kysely';
import { readJsonObject } from '../json-column';
import { forUpdate } from '../storage/database';
import type { ContactUpdate, Database, NewEventRow } from '../storage/schema';
import { type RowUpdate, updateManyById } from '../storage/update-many';
import { type ClickIds, nameTouch } from './source-name';

export interface Touch {
  ts: number;
  kind: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  ref: string | null;
  url: string | null;
}

/**
 * A page view that arrived from somewhere (not an internal click) is a touch, named the way UTM
 * sources are (source-name.ts): `google / organic`, `linkedin / paid_social`.
 */
export function touchOf(row: NewEventRow): Touch | null {
  if (row.type !== 'page' || row.bot || row.ref_kind === 'internal') return null;
  let refHost: string | null = null;
  if (row.ref) {
    try {
      refHost = new URL(row.ref).hostname;
    } catch {
      refHost = null;
    }
  }
  const kind = row.ref_kind ?? 'direct';
  // Click ids matter only for a paid visit that names no source (gclid alone is google / cpc).
  const clickIds = kind === 'paid' && !row.utm_source ? clickIdsOf(row.campaign) : null;
  const name = nameTouch({
    utmSource: row.utm_source ?? null,
    utmMedium: row.utm_medium ?? null,
    utmCampaign: row.utm_campaign ?? null,
    refHost,
    kind,
    clickIds,
  });
  return {
    ts: row.ts,
    kind,
    ...name,
    ref: row.ref ?? null,
    url: row.url ?? null,
  };
}

function clickIdsOf(campaign: string | null | undefined): ClickIds | null {
  if (!campaign) return null;
  try {
    return JSON.parse(campaign) as ClickIds;
  } catch {
    return null;
  }
}

export async function touchContacts(trx: Kysely<Database>, rows: NewEventRow[], now: number): Promise<void> {
  const byContact = new Map<string, NewEventRow[]>();
  for (const row of rows) {
    if (!row.contact_id || row.bot) continue;
    const list = byContact.get(row.contact_id);
    if (list) list.push(row);
    else byContact.set(row.contact_id, [row]);
  }
  if (byContact.size === 0) return;
  // Locked (on PostgreSQL) in id order, the order every writer uses, so two processes
  // touching the same contacts queue up instead of overwriting each other.
  const contacts = await forUpdate(
    trx,
    trx
      .selectFrom('contacts')
      .select(['id', 'first_seen', 'last_seen', 'first_touch', 'last_touch', 'country', 'asn'])
      .where('id', 'in', [...byContact.keys()])
      .orderBy('id'),
  ).execute();
  const updates: RowUpdate<'contacts'>[] = [];
  for (const contact of contacts) {
    const events = byContact.get(contact.id)!;
    let firstSeen = contact.first_seen;
    let lastSeen = contact.last_seen;
    let first = readJsonObject(contact.first_touch, 'contacts.first_touch') as Touch | null;
    let last = readJsonObject(contact.last_touch, 'contacts.last_touch') as Touch | null;
    // The newest event that had a place, if it is newer than anything seen before this batch.
    let place: NewEventRow | null = null;
    for (const event of events) {
      if ((event.country || event.asn) && event.ts >= contact.last_seen && (!place || event.ts >= place.ts))
        place = event;
      firstSeen = Math.min(firstSeen, event.ts);
      lastSeen = Math.max(lastSeen, event.ts);
      const touch = touchOf(event);
      if (!touch) continue;
      if (!first || touch.ts < first.ts) first = touch;
      if (!last || touch.ts >= last.ts) last = touch;
    }
    // Only what changed is written: a column in the SET list costs its indexes an entry
    // rewrite even when the value is the same, and a returning visitor's first touch never moves.
    const changes: ContactUpdate = { updated_at: now };
    if (firstSeen !== contact.first_seen) changes.first_seen = firstSeen;
    if (lastSeen !== contact.last_seen) changes.last_seen = lastSeen;
    const firstJson = first ? JSON.stringify(first) : null;
    if (firstJson !== contact.first_touch) {
      changes.first_touch = firstJson;
      changes.source = first?.source ?? null;
      changes.medium = first?.medium ?? null;
      changes.campaign = first?.campaign ?? null;
    }
    const lastJson = last ? JSON.stringify(last) : null;
    if (lastJson !== contact.last_touch) changes.last_touch = lastJson;
    if (place && (place.country !== contact.country || (place.asn ?? null) !== contact.asn)) {
      changes.country = place.country ?? null;
      changes.asn = place.asn ?? null;
      changes.net_org = place.net_org ?? null;
      changes.net_kind = place.net_kind ?? null;
    }
    updates.push({ id: contact.id, changes });
  }
  // All of them at once: one statement on PostgreSQL, whatever the number of contacts.
  await updateManyById(trx, 'contacts', updates);
}
