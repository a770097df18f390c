/**
 * The few writes scoring makes besides the contact row: the ruleset a version number stands for
 * (so "under ruleset v3" can be answered later), and a stage transition, in the caller's
 * transaction. A transition is only a row here; the caller hands the rows it recorded to the
 * outbox (outbox/enqueue.ts) in the same transaction.
 */
import type { Kysely } from 'kysely';
import type { Stage } from '../../shared/stages';
import type { Database, TransitionRow } from '../storage/schema';
import { parseRuleset, type Ruleset } from './core/rules';

/** Stores the ruleset under its version unless that version is already stored (first writer wins). */
export async function recordRuleset(trx: Kysely<Database>, rules: Ruleset, now: number): Promise<void> {
  await trx
    .insertInto('rulesets')
    .values({ version: rules.version, ruleset: JSON.stringify(rules), created_at: now })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
}

/** A stored ruleset by version, or undefined. */
export async function loadRuleset(db: Kysely<Database>, version: number): Promise<Ruleset | undefined> {
  const row = await db
    .selectFrom('rulesets')
    .select('ruleset')
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? parseRuleset(JSON.parse(row.ruleset)) : undefined;
}

export interface TransitionInput {
  from: Stage;
  to: Stage;
  reason: string;
  event_ids: string[];
  ruleset_version: number | null;
}

/** Inserts one transition row and returns it as stored (with its id). */
export async function recordTransition(
  trx: Kysely<Database>,
  contact: { id: string; site: string },
  move: TransitionInput,
  actor: string,
  at: number,
): Promise<TransitionRow> {
  const [row] = await recordTransitions(trx, [{ contact, move }], actor, at);
  return row!;
}

/** Transitions per INSERT: well under both databases' limit on bound parameters. */
const TRANSITIONS_PER_INSERT = 500;

/**
 * Inserts transitions in as few statements as the list allows (one, up to 500) and returns them
 * as stored, in the order given. Ids are handed out in VALUES order within a statement, so
 * sorting what RETURNING gives back by id restores that order whatever order it comes in.
 */
export async function recordTransitions(
  trx: Kysely<Database>,
  items: readonly { contact: { id: string; site: string }; move: TransitionInput; at?: number }[],
  actor: string,
  at: number,
): Promise<TransitionRow[]> {
  const recorded: TransitionRow[] = [];
  for (let start = 0; start < items.length; start += TRANSITIONS_PER_INSERT) {
    const rows = await trx
      .insertInto('transitions')
      .values(
        items.slice(start, start + TRANSITIONS_PER_INSERT).map(({ contact, move, at: own }) => ({
          contact_id: contact.id,
          site: contact.site,
          from_stage: move.from,
          to_stage: move.to,
          reason: move.reason,
          event_ids: JSON.stringify(move.event_ids),
          ruleset_version: move.ruleset_version,
          actor,
          // A move dated at its cause (imported history) keeps that time.
          at: own ?? at,
        })),
      )
      .returningAll()
      .execute();
    const stored = rows.map((row) => ({ ...row, id: Number(row.id), at: Number(row.at) }));
    recorded.push(...stored.sort((a, b) => a.id - b.id));
  }
  return recorded;
}
