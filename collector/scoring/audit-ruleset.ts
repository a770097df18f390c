/** Which ruleset an audit or a backtest looks at: the live one, a stored version, or a draft. */
import type { Kysely } from 'kysely';
import { AppError, badField, notFound } from '../errors';
import type { Database } from '../storage/schema';
import { parseRuleset, type Ruleset } from './core/rules';
import { loadRuleset } from './store';

/** A draft is a ruleset, or a whole config file whose `scoring` is used. */
export function parseDraft(json: unknown): Ruleset {
  const body =
    json && typeof json === 'object' && 'sites' in json ? (json as { scoring?: unknown }).scoring : json;
  try {
    return parseRuleset(body);
  } catch (error) {
    throw new AppError(400, 'invalid_field', `draft ruleset: ${(error as Error).message}`, 'ruleset');
  }
}

export async function resolveRuleset(
  db: Kysely<Database>,
  current: Ruleset,
  spec: string,
  draft?: Ruleset,
): Promise<Ruleset> {
  if (spec === 'current') return current;
  if (spec === 'draft') {
    if (!draft) throw badField('ruleset', 'draft needs the draft ruleset (request body, or --rules <file>)');
    return draft;
  }
  const version = Number(spec);
  if (version === current.version) return current;
  const stored = await loadRuleset(db, version);
  if (!stored) throw notFound(`ruleset version ${version}`);
  return stored;
}
