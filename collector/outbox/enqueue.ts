/**
 * Writes webhook deliveries for a stage transition into the outbox, in the same transaction as
 * the transition itself. (Placeholder until webhooks land: no deliveries.)
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database, TransitionRow } from '../storage/schema';

export async function enqueueTransitionWebhooks(
  _trx: Kysely<Database>,
  _config: Config,
  _transition: TransitionRow,
  _now: number,
): Promise<void> {}
