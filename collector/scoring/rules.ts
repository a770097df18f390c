/**
 * Scoring rules as data. (Placeholder: the full rule kinds and SPEC §6 defaults land with the
 * scoring engine.)
 */
import { z } from 'zod';

export const rulesetSchema = z.looseObject({
  version: z.number().int().min(1).default(1),
  mql_threshold: z.number().default(50),
});

export type Ruleset = z.output<typeof rulesetSchema>;

export const DEFAULT_RULESET: Ruleset = rulesetSchema.parse({});

/** Validates a ruleset from the config file; throws with the path of the bad rule. */
export function parseRuleset(input: unknown): Ruleset {
  const result = rulesetSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`scoring.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
}
