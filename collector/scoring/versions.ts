/**
 * Stored ruleset versions: immutable rows (version, rules, author, time, note, parent). New
 * versions are only ever added — by the config seed, a publish or a rollback — and the newest is
 * the live one (`rulesets.live` points at it).
 */
import type { Kysely } from 'kysely';
import { writeTransaction } from '../storage/database';
import type { Database } from '../storage/schema';
import { parseRuleset, type Ruleset } from './core/rules';
import { readLiveVersion, setLiveVersion } from './live-rules';

export interface VersionSummary {
  version: number;
  author: string | null;
  note: string | null;
  parent: number | null;
  created_at: number;
  live: boolean;
}

export interface StoredVersion extends VersionSummary {
  ruleset: Ruleset;
}

export const SEED_AUTHOR = 'config';

export async function newestVersion(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('rulesets')
    .select((eb) => eb.fn.max('version').as('newest'))
    .executeTakeFirst();
  return row?.newest == null ? null : Number(row.newest);
}

/**
 * On start: the config's `scoring` is stored as its version when that is newer than anything
 * stored (file-based deploys keep working: bump `version`, restart), and becomes live. A database
 * from before versions were tracked gets its newest stored version marked live.
 */
export async function seedRulesets(db: Kysely<Database>, seed: Ruleset, now: number): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const newest = await newestVersion(trx);
    const live = await readLiveVersion(trx);
    if (newest === null || seed.version > newest) {
      await trx
        .insertInto('rulesets')
        .values({
          version: seed.version,
          ruleset: JSON.stringify(seed),
          created_at: now,
          author: SEED_AUTHOR,
          note: 'from the config file',
          parent: live ?? newest,
        })
        .onConflict((oc) => oc.column('version').doNothing())
        .execute();
      await setLiveVersion(trx, seed.version);
      await trx
        .insertInto('ruleset_log')
        .values({
          action: 'seed',
          version: seed.version,
          from_version: live ?? newest,
          draft_id: null,
          actor: SEED_AUTHOR,
          note: 'from the config file',
          at: now,
          summary: null,
          // A file deploy never re-scored by itself: `npm run rescore` does it, as before.
          rescore_status: 'none',
          rescore_finished_at: null,
        })
        .execute();
      return seed.version;
    }
    if (live === null) await setLiveVersion(trx, newest);
    return live ?? newest;
  });
}

type VersionRow = Pick<Database['rulesets'], 'version' | 'author' | 'note' | 'parent' | 'created_at'>;

const summaryOf = (row: VersionRow, live: number | null): VersionSummary => ({
  version: Number(row.version),
  author: row.author,
  note: row.note,
  parent: row.parent === null ? null : Number(row.parent),
  created_at: Number(row.created_at),
  live: Number(row.version) === live,
});

/** Every version, newest first. */
export async function listVersions(db: Kysely<Database>): Promise<VersionSummary[]> {
  const live = await readLiveVersion(db);
  const rows = await db
    .selectFrom('rulesets')
    .select(['version', 'author', 'note', 'parent', 'created_at'])
    .orderBy('version', 'desc')
    .execute();
  return rows.map((row) => summaryOf(row, live));
}

export async function getVersion(db: Kysely<Database>, version: number): Promise<StoredVersion | undefined> {
  const row = await db
    .selectFrom('rulesets')
    .select(['version', 'author', 'note', 'parent', 'created_at', 'ruleset'])
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...summaryOf(row, await readLiveVersion(db)), ruleset: parseRuleset(JSON.parse(row.ruleset)) };
}

/**
 * Adds `rules` as the next version and makes it live, in the caller's transaction. Two publishes
 * racing for the same number: the second insert fails on the primary key and its transaction
 * rolls back (the caller turns that into a 409).
 */
export async function addLiveVersion(
  trx: Kysely<Database>,
  rules: Ruleset,
  meta: { author: string; note: string; now: number },
): Promise<{ version: number; parent: number | null; ruleset: Ruleset }> {
  const parent = await readLiveVersion(trx);
  const version = ((await newestVersion(trx)) ?? 0) + 1;
  const ruleset = { ...rules, version };
  await trx
    .insertInto('rulesets')
    .values({
      version,
      ruleset: JSON.stringify(ruleset),
      created_at: meta.now,
      author: meta.author,
      note: meta.note,
      parent,
    })
    .execute();
  await setLiveVersion(trx, version);
  return { version, parent, ruleset };
}
