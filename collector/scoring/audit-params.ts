/**
 * The audit's options as the API's query string and the CLI's flags spell them, validated once:
 * `outcome`, `horizon_days`, `from`, `to` (ISO date or ms; default the last 180 days),
 * `ruleset` (current, a stored version, or draft), `target_precision`, `capacity_per_week`.
 */
import { z } from 'zod';
import { badField } from '../errors';
import { AUDIT_OUTCOMES } from './core/audit/outcome';
import type { AuditWindow } from './core/audit/run';

const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 180;
/** Ten years of weekly cutoffs. */
const MAX_CUTOFFS = 520;

const time = z
  .string()
  .max(40)
  .regex(
    /^(\d{1,15}|\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)$/,
    'must be an ISO date or milliseconds',
  )
  .transform((text, ctx) => {
    const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
      return z.NEVER;
    }
    return ms;
  });

const decimal = z
  .string()
  .max(20)
  .regex(/^\d+(\.\d+)?$/, 'must be a number')
  .transform(Number);

export const auditParamsShape = {
  outcome: z.enum(AUDIT_OUTCOMES, { error: `must be one of ${AUDIT_OUTCOMES.join(', ')}` }).default('sql'),
  horizon_days: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number of days 1–365')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 365, 'must be a whole number of days 1–365')
    .default(30),
  from: time.optional(),
  to: time.optional(),
  ruleset: z
    .string()
    .max(20)
    .regex(/^(current|draft|\d{1,9})$/, 'must be current, draft or a ruleset version')
    .default('current'),
  target_precision: decimal.refine((n) => n > 0 && n <= 1, 'must be between 0 and 1').optional(),
  capacity_per_week: decimal.refine((n) => n > 0, 'must be positive').optional(),
};

export type AuditParams = z.output<z.ZodObject<typeof auditParamsShape>>;

export function auditWindow(params: AuditParams, now: number): AuditWindow {
  const to = params.to ?? now;
  const from = params.from ?? to - DEFAULT_WINDOW_DAYS * DAY_MS;
  const horizonMs = params.horizon_days * DAY_MS;
  if (from > to - horizonMs)
    throw badField('from', `must be at least horizon_days (${params.horizon_days}) before to`);
  if ((to - horizonMs - from) / (7 * DAY_MS) > MAX_CUTOFFS)
    throw badField('from', `window holds more than ${MAX_CUTOFFS} weekly cutoffs`);
  return {
    outcome: params.outcome,
    horizonDays: params.horizon_days,
    from,
    to,
    ...(params.target_precision !== undefined ? { targetPrecision: params.target_precision } : {}),
    ...(params.capacity_per_week !== undefined ? { capacityPerWeek: params.capacity_per_week } : {}),
  };
}

/** Flags (or query values) into params: the same validation and messages for both. */
export function parseAuditParams(values: Record<string, string | undefined>): AuditParams {
  const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  const result = z.strictObject(auditParamsShape).safeParse(defined);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field =
    issue?.code === 'unrecognized_keys' ? String(issue.keys[0]) : String(issue?.path[0] ?? 'query');
  throw badField(
    field,
    issue?.code === 'unrecognized_keys' ? 'unknown parameter' : (issue?.message ?? 'invalid'),
  );
}
