/**
 * Writes webhook deliveries for stage transitions into the outbox, in the same transaction as
 * the transitions themselves: a move and its notification commit together or not at all, and a
 * crash between them cannot lose a webhook. Whoever records transitions (ingestion, rescore,
 * decay refresh, sales moves) hands them here; recording a transition knows nothing of webhooks.
 * The row holds the event and the transition; the dispatcher adds the contact, breakdown and
 * timeline when it first sends (after commit, when the score written in this transaction is
 * visible) and keeps that body for every retry.
 */
import type { Insertable, Kysely } from 'kysely';
import { nanoid } from 'nanoid';
import type { Config } from '../config';
import { PAST_MOVE_MS } from '../scoring/core/move-time';
import type { Database, OutboxTable, TransitionRow } from '../storage/schema';
import { eventFor, webhookId } from './webhooks';

export const PENDING = 'pending';

/** Outbox rows per INSERT: well under both databases' limit on bound parameters. */
const ROWS_PER_INSERT = 500;

/** What an outbox row carries until its body is built. */
export interface QueuedEvent {
  event: string;
  transition: TransitionRow;
}

/**
 * One delivery per (transition, subscribed webhook), in transition order, written in as few
 * statements as the list allows. A transition dated more than PAST_MOVE_MS before now is history
 * (imported events made it): it is kept, but nobody is called about it.
 */
export async function enqueueWebhooks(
  trx: Kysely<Database>,
  config: Config,
  transitions: readonly TransitionRow[],
  now: number,
): Promise<void> {
  if (transitions.length === 0 || config.webhooks.length === 0) return;
  const current = transitions.filter((transition) => now - Number(transition.at) <= PAST_MOVE_MS);
  const rows = current.flatMap((transition) =>
    config.webhooks.flatMap((webhook): Insertable<OutboxTable>[] => {
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
    }),
  );
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('outbox')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .execute();
  }
}
