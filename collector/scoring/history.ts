/**
 * "What was this contact's score on date D under ruleset v3?" Loads the contact's log and the
 * stored ruleset, rebuilds the profile as it was at D, and asks the pure core with now = D.
 */
import type { Kysely } from 'kysely';
import { notFound } from '../errors';
import type { Database } from '../storage/schema';
import { profileAsOf } from './core/events';
import type { Ruleset } from './core/rules';
import { type ScoreResult, score } from './core/score';
import { PROFILE_COLUMNS, profileOf, SCORING_COLUMNS, scoringEventOf } from './rows';
import { loadRuleset } from './store';

export interface AsOfQuery {
  /** The moment to score at (ms). */
  asOf: number;
  /** A stored ruleset version; without it, `current`. */
  version?: number;
  current: Ruleset;
}

export async function scoreContactAsOf(
  db: Kysely<Database>,
  contactId: string,
  query: AsOfQuery,
): Promise<ScoreResult> {
  const contact = await db
    .selectFrom('contacts')
    .select(['id', ...PROFILE_COLUMNS])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!contact) throw notFound(`contact ${contactId}`);
  let rules = query.current;
  if (query.version !== undefined && query.version !== query.current.version) {
    const stored = await loadRuleset(db, query.version);
    if (!stored) throw notFound(`ruleset version ${query.version}`);
    rules = stored;
  }
  const rows = await db
    .selectFrom('events')
    .select(SCORING_COLUMNS)
    .where('contact_id', '=', contactId)
    .execute();
  const events = rows.map(scoringEventOf);
  return score(events, profileAsOf(profileOf(contact), events, query.asOf), rules, query.asOf);
}
