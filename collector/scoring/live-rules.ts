/**
 * Which ruleset is live, for every scorer of a process (the group commit, the rescore, the decay
 * refresh, sales moves). The live version number is one `meta` row; reading it is a primary-key
 * lookup, done inside each scoring transaction after the contacts are locked, so a publish made
 * by another process (or the SQLite writer thread's parent) is seen by the next transaction that
 * scores. The ruleset itself is parsed once per version and kept.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import type { Ruleset } from './core/rules';
import { loadRuleset } from './store';

export const LIVE_KEY = 'rulesets.live';

export interface LiveRules {
  /** The live ruleset as of this read (in `db`'s transaction, if it is one). */
  current(db: Kysely<Database>): Promise<Ruleset>;
  /** The last ruleset `current` returned (the seed before any read): for display only. */
  last(): Ruleset;
}

export async function readLiveVersion(db: Kysely<Database>): Promise<number | null> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', LIVE_KEY).executeTakeFirst();
  if (!row) return null;
  const version = Number(row.value);
  return Number.isInteger(version) && version > 0 ? version : null;
}

/** Points `rulesets.live` at `version` (in the caller's transaction). */
export async function setLiveVersion(trx: Kysely<Database>, version: number): Promise<void> {
  const value = String(version);
  await trx
    .insertInto('meta')
    .values({ key: LIVE_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/**
 * `seed` (the config's `scoring`) answers until a live version is stored: a database that was
 * never seeded (a bare test database) still scores by the config, as before rulesets were stored.
 */
export function createLiveRules(seed: Ruleset): LiveRules {
  let cached: Ruleset = seed;
  const parsed = new Map<number, Ruleset>();
  return {
    async current(db) {
      const version = await readLiveVersion(db);
      if (version === null) return seed;
      let rules = parsed.get(version);
      if (!rules) {
        rules = await loadRuleset(db, version);
        if (!rules) throw new Error(`live ruleset v${version} is not stored`);
        parsed.set(version, rules);
      }
      cached = rules;
      return rules;
    },
    last: () => cached,
  };
}
