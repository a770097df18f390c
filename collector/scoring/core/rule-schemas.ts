/**
 * The schemas of single rules and bands (no defaults here, so defaults.ts can be typed by them).
 */
import { z } from 'zod';
import { conditionSchema } from './conditions';

export const ruleId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a short identifier (letters, digits, _ . -)');
export const positive = z.number().positive().finite();
const points = z
  .number()
  .finite()
  .refine((n) => n !== 0, 'must not be 0');
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

/**
 * What a learned draft says about a rule (`npm run scoring -- learn`): the fitted log-odds
 * coefficient with its 95 % interval, and how many examples it fired in (and how many of those
 * reached the outcome). Scoring ignores it.
 */
export const learnedSchema = z.strictObject({
  coefficient: z.number().finite(),
  ci: z.tuple([z.number().finite(), z.number().finite()]),
  support: z.number().int().min(0),
  positives: z.number().int().min(0),
});

export const EVENT_TYPES = ['page', 'track', 'identify'] as const;

/** What an engagement rule looks for in one event. Every given field must match. */
export const matchSchema = z.strictObject({
  type: oneOrMany(z.enum(EVENT_TYPES)).optional(),
  /** Event name (`track`), exact. */
  name: oneOrMany(z.string().min(1).max(200)).optional(),
  /** URL path globs: `/careers*`. */
  path: oneOrMany(z.string().min(1).max(500)).optional(),
  props: z.record(z.string().min(1), conditionSchema).optional(),
  /** The event's own traits (identify events). */
  traits: z.record(z.string().min(1), conditionSchema).optional(),
  /** Derived from session ids and days: the first event of a session, or of a later day's first session. */
  visit: z.enum(['session_start', 'return']).optional(),
});

export const engagementRuleSchema = z.strictObject({
  id: ruleId,
  label: z.string().max(200).optional(),
  match: matchSchema,
  /** Events that would match but should not (e.g. a page view on the careers site). */
  unless: matchSchema.optional(),
  points,
  /** Limits on the absolute points this rule can award: per UTC day and over the contact's life. */
  cap: z.strictObject({ per_day: positive.optional(), lifetime: positive.optional() }).optional(),
  /**
   * Award only on the `count`-th occurrence within `within_days` (then start counting again).
   * `per`: what counts as one occurrence — every event, a session, or a UTC day.
   */
  frequency: z
    .strictObject({
      count: z.number().int().min(2).max(1000),
      within_days: positive,
      per: z.enum(['event', 'session', 'day']).default('event'),
    })
    .optional(),
  /** false: these points never fade. */
  decay: z.boolean().default(true),
  /** Overrides the ruleset's half-life for this rule. */
  half_life_days: positive.optional(),
  learned: learnedSchema.optional(),
});

export const fitRuleSchema = z
  .strictObject({
    id: ruleId,
    label: z.string().max(200).optional(),
    /** Rules sharing a group are alternatives: the first that matches (in order) counts, the rest do not. */
    group: ruleId.optional(),
    points,
    /** Trait conditions; names go through `trait_aliases` (so `title` also finds `job_title`). */
    traits: z.record(z.string().min(1), conditionSchema).optional(),
    /** The email's domain is a free-mail provider (maintained list) or a business domain. */
    email: z.enum(['free', 'business']).optional(),
    /** The email's domain is one of these (`acme.com`, or `*.gov` for any subdomain). */
    email_domain: z.array(z.string().min(1).max(253)).min(1).optional(),
    /** Where the contact was last seen from: `{ "country": { "not_in": ["DE", "AT"] } }`. */
    geo: z.strictObject({ country: conditionSchema }).optional(),
    /** The network they were last seen on: AS number, organisation name, kind (isp, hosting, business, …). */
    net: z
      .strictObject({
        asn: conditionSchema.optional(),
        org: conditionSchema.optional(),
        kind: conditionSchema.optional(),
      })
      .refine((n) => Object.keys(n).length > 0, 'needs asn, org or kind')
      .optional(),
    learned: learnedSchema.optional(),
  })
  .refine(
    (r) => r.traits || r.email || r.email_domain || r.geo || r.net,
    'needs `traits`, `email`, `email_domain`, `geo` or `net`',
  );

const descending = (values: number[]) => values.every((v, i) => i === 0 || v < values[i - 1]!);

export const gradesSchema = z.strictObject({
  bands: z
    .array(z.strictObject({ grade: z.string().min(1).max(20), min_fit: z.number().finite() }))
    .refine(
      (bands) => descending(bands.map((b) => b.min_fit)),
      'bands must be listed from the highest min_fit down',
    ),
  /** The grade below every band. */
  otherwise: z.string().min(1).max(20),
});

export const temperatureSchema = z.strictObject({
  /** Engagement earned in this many recent days decides the temperature. */
  window_days: positive,
  bands: z
    .array(z.strictObject({ label: z.string().min(1).max(20), min: z.number().finite() }))
    .refine((bands) => descending(bands.map((b) => b.min)), 'bands must be listed from the highest min down'),
  otherwise: z.string().min(1).max(20),
});

export type EngagementRuleInput = z.input<typeof engagementRuleSchema>;
export type FitRuleInput = z.input<typeof fitRuleSchema>;
export type GradesInput = z.input<typeof gradesSchema>;
export type TemperatureInput = z.input<typeof temperatureSchema>;
