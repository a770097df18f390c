/**
 * Scoring rules as data: the schema of a config file's `scoring`, validated once at start with
 * errors that name the rule. Two families of rules:
 *  - engagement rules match events (type, name, URL path, props, traits, derived visits) and award
 *    points that decay with a half-life, limited by caps and optionally gated by a frequency window;
 *  - fit rules match the profile (traits, email domain) and award points that do not decay.
 * Thresholds, hand-raise events, BANT traits, grade and temperature bands are data too.
 */
import { z } from 'zod';
import { fieldIssue } from '../../../shared/field-issue';
import { DEFAULT_RULESET_INPUT as D } from './defaults';
import {
  engagementRuleSchema,
  fitRuleSchema,
  gradesSchema,
  positive,
  temperatureSchema,
} from './rule-schemas';

export const rulesetSchema = z
  .strictObject({
    /** Bump on every change: transitions and stored scores record the version they were made with. */
    version: z.number().int().min(1).default(D.version),
    mql_threshold: z.number().finite().default(D.mql_threshold),
    /** An account (company domain) whose score reaches this is flagged `qualified`. */
    account_threshold: z.number().finite().default(D.account_threshold),
    /** Engagement half-life; null turns decay off. */
    half_life_days: positive.nullable().default(D.half_life_days),
    /** `track` event names that make an identified contact an SQL. */
    hand_raise: z.array(z.string().min(1).max(200)).prefault(D.hand_raise),
    /** Traits that, all present, make an identified contact an SQL. Empty list turns it off. */
    bant: z.array(z.string().min(1).max(200)).prefault(D.bant),
    /** Where to look for a trait: `title` → title, job_title, jobTitle, role. */
    trait_aliases: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).prefault(D.trait_aliases),
    engagement: z.array(engagementRuleSchema).prefault(D.engagement),
    fit: z.array(fitRuleSchema).prefault(D.fit),
    grades: gradesSchema.prefault(D.grades),
    temperature: temperatureSchema.prefault(D.temperature),
    /** Set on a draft written by `learn`: what it was fitted on and how points map to odds. */
    learned: z
      .strictObject({
        outcome: z.string().max(20),
        horizon_days: z.number().int().positive(),
        from: z.number(),
        to: z.number(),
        examples: z.number().int().min(0),
        positives: z.number().int().min(0),
        points_to_double_odds: z.number().positive(),
        intercept: z.number().finite(),
        lambda: z.number().min(0),
        based_on_version: z.number().int(),
        dropped: z.array(z.string()),
      })
      .optional(),
  })
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    for (const family of ['engagement', 'fit'] as const) {
      rules[family].forEach((rule, i) => {
        if (seen.has(rule.id))
          ctx.addIssue({
            code: 'custom',
            path: [family, i, 'id'],
            message: `duplicate rule id "${rule.id}"`,
          });
        seen.add(rule.id);
      });
    }
  });

export type Ruleset = z.output<typeof rulesetSchema>;
export type EngagementRule = Ruleset['engagement'][number];
export type FitRule = Ruleset['fit'][number];
export type Match = EngagementRule['match'];

/** The rule at `path` in the raw input, for error messages ("rule \"pricing_repeat\""). */
function ruleNamed(input: unknown, path: PropertyKey[]): string | null {
  const [family, index] = path;
  if ((family !== 'engagement' && family !== 'fit') || typeof index !== 'number') return null;
  const list = (input as Record<string, unknown> | null)?.[family];
  const rule = Array.isArray(list) ? (list[index] as { id?: unknown } | undefined) : undefined;
  return typeof rule?.id === 'string' ? rule.id : `#${index + 1}`;
}

/**
 * A ruleset that does not validate: which field (`scoring.engagement.0.points`), which rule (its
 * id, or `#n` when it has none) and what is wrong, as data, so the config loader and the CLI can
 * report it without taking a message apart. The message reads `<field>: rule "<id>": <problem>`.
 */
export class RulesetError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string | null,
    readonly problem: string,
  ) {
    super(`${field}: ${rule ? `rule "${rule}": ` : ''}${problem}`);
    this.name = 'RulesetError';
  }
}

/** Validates a ruleset from the config file; throws a RulesetError naming the field and the rule. */
export function parseRuleset(input: unknown): Ruleset {
  const result = rulesetSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = fieldIssue(result.error, { root: 'scoring', prefix: 'scoring', unknownKeysFirst: true });
  throw new RulesetError(issue.field, ruleNamed(input, [...issue.path]), issue.message);
}

export const DEFAULT_RULESET: Ruleset = parseRuleset(D);
