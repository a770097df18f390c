/**
 * The impure shell around the pure scoring core: load a contact's events and profile, score,
 * write the result, record stage transitions. Runs inside the ingest transaction.
 * (Placeholder until the scoring engine lands: scores nothing.)
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { DialectName } from '../storage/database';
import type { Database } from '../storage/schema';

export interface ScoringContext {
  trx: Kysely<Database>;
  dialect: DialectName;
  config: Config;
  now: number;
}

/** Re-scores each contact (in id order, so concurrent transactions lock in the same order). */
export async function scoreContacts(_ctx: ScoringContext, _contactIds: Iterable<string>): Promise<void> {}
