/**
 * Stage moves made by sales through the API: accept (`sal`), reject (`recycled`, reason
 * required), qualify (`sql`), `disqualified` (reason required), `opportunity`, `customer`. Sales
 * may move a contact anywhere (they know things the log does not); the move is recorded like an
 * automatic one, with the API key's name as the actor, and handed to the outbox in the same
 * transaction, so its webhooks are queued exactly when the move commits.
 */
import { SALES_MOVES, type SalesMove } from '../../shared/stages';
import { AppError, badField, notFound } from '../errors';
import { enqueueWebhooks } from '../outbox/enqueue';
import type { Services } from '../services';
import { forUpdate, writeTransaction } from '../storage/database';
import type { TransitionRow } from '../storage/schema';
import { recordRuleset, recordTransition } from './store';

/** Leaving the funnel needs a reason, so the next person to look knows why. */
export const REASON_REQUIRED: readonly SalesMove[] = ['recycled', 'disqualified'];

export async function moveStage(
  services: Services,
  contactId: string,
  to: SalesMove,
  reason: string,
  actor: string,
): Promise<TransitionRow> {
  if (!(SALES_MOVES as readonly string[]).includes(to)) {
    throw badField('stage', `must be one of ${SALES_MOVES.join(', ')}`);
  }
  const why = (reason ?? '').trim();
  if (!why && REASON_REQUIRED.includes(to)) throw badField('reason', `is required when moving to ${to}`);

  return writeTransaction(services.db, async (trx) => {
    const contact = await forUpdate(
      trx,
      trx
        .selectFrom('contacts')
        .select(['id', 'site', 'stage', 'sql_at', 'version'])
        .where('id', '=', contactId),
    ).executeTakeFirst();
    if (!contact) throw notFound(`contact ${contactId}`);
    if (contact.stage === to)
      throw new AppError(409, 'conflict', `contact is already at stage ${to}`, 'stage');
    const now = services.clock();
    await trx
      .updateTable('contacts')
      .set({
        stage: to,
        stage_changed_at: now,
        sql_at: contact.sql_at ?? (to === 'sql' ? now : null),
        version: contact.version + 1,
        updated_at: now,
      })
      .where('id', '=', contact.id)
      .execute();
    const rules = await services.rules.current(trx);
    await recordRuleset(trx, rules, now);
    const transition = await recordTransition(
      trx,
      contact,
      {
        from: contact.stage,
        to,
        reason: why || `moved to ${to} by ${actor}`,
        event_ids: [],
        ruleset_version: rules.version,
      },
      actor,
      now,
    );
    await enqueueWebhooks(trx, services.config, [transition], now);
    return transition;
  });
}
