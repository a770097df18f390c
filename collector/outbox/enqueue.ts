/**
 * Writes webhook deliveries for a stage transition into the outbox, in the same transaction as
 * the transition itself: the move and its notification commit together or not at all, and a
 * crash between them cannot lose a webhook. The row holds the event and the transition; the
 * dispatcher adds the contact, breakdown and timeline when it first sends (after commit, when
 * the score written in this transaction is visible) and keeps that body for every retry.
 */
import type { Kysely } from 'kysely';
import { nanoid } from 'nanoid';
import type { Config } from '../config';
import type { Database, TransitionRow } from '../storage/schema';
import { eventFor, webhookId } from './webhooks';

export const PENDING = 'pending';

/** What an outbox row carries until its body is built. */
export interface QueuedEvent {
  event: string;
  transition: TransitionRow;
}

export async function enqueueTransitionWebhooks(
  trx: Kysely<Database>,
  config: Config,
  transition: TransitionRow,
  now: number,
): Promise<void> {
  const rows = config.webhooks.flatMap((webhook) => {
    const event = eventFor(webhook, transition.to_stage);
    if (!event) return [];
    const queued: QueuedEvent = { event, transition };
    return [
      {
        id: `dlv_${nanoid()}`,
        webhook: webhookId(webhook),
        event,
        contact_id: transition.contact_id,
        payload: JSON.stringify(queued),
        status: PENDING,
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: now,
        delivered_at: null,
      },
    ];
  });
  if (rows.length > 0) await trx.insertInto('outbox').values(rows).execute();
}
