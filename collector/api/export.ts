/**
 * Everything stored about one person (GDPR art. 15/20): the contact row, every event, their
 * anonymous ids, stage transitions, identity links and the webhook deliveries made about them.
 * Raw rows with JSON columns decoded, so nothing is left out by a view's choice of fields —
 * except, for a read-only key, the webhook URLs a delivery names (they can carry secrets).
 */
import type { Kysely } from 'kysely';
import type { WebhookConfig } from '../config';
import { readJson, readTraits } from '../json-column';
import { urlRedactor, webhookLabel } from '../outbox/webhooks';
import type { Database, OutboxRow } from '../storage/schema';

const JSON_COLUMNS = new Set([
  'traits',
  'breakdown',
  'first_touch',
  'last_touch',
  'props',
  'campaign',
  'event_ids',
  'detail',
  'payload',
]);

const decode = <T extends object>(row: T, table: string): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      JSON_COLUMNS.has(key) && typeof value === 'string' ? readJson(value, `${table}.${key}`) : value,
    ]),
  );

export interface ExportOptions {
  /**
   * Full keys see deliveries as stored; for read-only keys, pass the configured webhooks: a
   * delivery then shows the webhook's name or host, and its error text loses their URLs.
   */
  hideWebhookUrls?: readonly Pick<WebhookConfig, 'url'>[];
}

function redactDelivery(webhooks: readonly Pick<WebhookConfig, 'url'>[]) {
  const redact = urlRedactor(webhooks);
  return (stored: OutboxRow): Record<string, unknown> => {
    const row = decode(stored, 'outbox');
    return {
      ...row,
      webhook: redact(webhookLabel(stored.webhook)),
      last_error: stored.last_error === null ? null : redact(stored.last_error),
    };
  };
}

export async function exportContact(
  db: Kysely<Database>,
  id: string,
  now: number,
  options: ExportOptions = {},
) {
  const contact = await db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!contact) return undefined;
  const events = await db
    .selectFrom('events')
    .selectAll()
    .where('contact_id', '=', id)
    .orderBy('ts')
    .orderBy('seq')
    .execute();
  const anonymousIds = await db.selectFrom('anon_ids').selectAll().where('contact_id', '=', id).execute();
  const transitions = await db
    .selectFrom('transitions')
    .selectAll()
    .where('contact_id', '=', id)
    .orderBy('id')
    .execute();
  const outcomes = await db
    .selectFrom('outcomes')
    .selectAll()
    .where('contact_id', '=', id)
    .orderBy('id')
    .execute();
  const identityLinks = await db
    .selectFrom('identity_links')
    .selectAll()
    .where((eb) => eb.or([eb('from_contact', '=', id), eb('to_contact', '=', id)]))
    .orderBy('id')
    .execute();
  const deliveries = await db
    .selectFrom('outbox')
    .selectAll()
    .where('contact_id', '=', id)
    .orderBy('created_at')
    .execute();
  return {
    exported_at: new Date(now).toISOString(),
    contact: { ...decode(contact, 'contacts'), traits: readTraits(contact.traits) },
    events: events.map((row) => decode(row, 'events')),
    anonymous_ids: anonymousIds,
    transitions: transitions.map((row) => decode(row, 'transitions')),
    outcomes: outcomes.map((row) => decode(row, 'outcomes')),
    identity_links: identityLinks.map((row) => decode(row, 'identity_links')),
    webhook_deliveries: deliveries.map(
      options.hideWebhookUrls ? redactDelivery(options.hideWebhookUrls) : (row) => decode(row, 'outbox'),
    ),
  };
}
