/**
 * The webhook body: the event, the transition that caused it, the contact (profile, score and
 * breakdown, stage history, touches) and their last 20 timeline items — so sales sees why, not
 * just an email address. Built once, at the first attempt, and kept for every retry.
 */
import type { Kysely } from 'kysely';
import { loadContactView, loadTimeline, transitionJson } from '../api/contact-view';
import { readJsonObject } from '../json-column';
import type { Ruleset } from '../scoring/core/rules';
import type { Database } from '../storage/schema';
import type { QueuedEvent } from './enqueue';

export const TIMELINE_ITEMS = 20;

/** undefined when the contact is gone (erased or merged away since the move). */
export async function buildBody(
  db: Kysely<Database>,
  rules: Ruleset,
  deliveryId: string,
  queued: QueuedEvent,
  createdAt: number,
): Promise<string | undefined> {
  const t = queued.transition;
  const contact = await loadContactView(db, rules, t.contact_id);
  if (!contact) return undefined;
  const { items } = await loadTimeline(db, t.contact_id, TIMELINE_ITEMS);
  return JSON.stringify({
    id: deliveryId,
    event: queued.event,
    created_at: new Date(createdAt).toISOString(),
    transition: transitionJson(t),
    contact,
    timeline: items,
  });
}

/** A stored payload is either the queued event or, once built, the body itself. */
export function storedBody(payload: string): { body: string } | { queued: QueuedEvent } {
  const parsed = readJsonObject(payload, 'outbox.payload') ?? {};
  return 'contact' in parsed ? { body: payload } : { queued: parsed as unknown as QueuedEvent };
}
