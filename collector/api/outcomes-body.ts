/**
 * The body of `POST /api/outcomes`: a JSON array of outcome rows, or NDJSON (one row per line).
 * Every row is answered on its own — a bad row is an error naming its field, the rest go on —
 * so a CRM export with one broken line still imports.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { parseJsonBody } from '../ingest/validate';

export const OUTCOMES = ['sql', 'opportunity', 'won', 'lost', 'disqualified'] as const;
export type OutcomeName = (typeof OUTCOMES)[number];

/** Rows per request: a bigger export is sent in several requests. */
export const MAX_OUTCOME_ROWS = 10_000;
/** Bytes per request. */
export const MAX_OUTCOMES_BODY = 2_000_000;
/** An outcome later than this ahead of the server's clock is a typo or a unit mistake (seconds for ms). */
const MAX_FUTURE_MS = 86_400_000;
/** Before 2000: almost certainly seconds sent as milliseconds. */
const MIN_TIME = Date.UTC(2000, 0, 1);

export interface OutcomeInput {
  contact: string;
  outcome: OutcomeName;
  at: number;
  amount: number | null;
  currency: string | null;
  external_id: string | null;
  site: string | null;
}

export type ParsedRow = { ok: true; row: OutcomeInput } | { ok: false; field: string; message: string };

const timeSchema = z.union([
  z.number().int('must be whole milliseconds'),
  z
    .string()
    .max(40, 'must be an ISO time or milliseconds')
    .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO time or milliseconds')
    .transform((text, ctx) => {
      const ms = Date.parse(text);
      if (!Number.isFinite(ms)) {
        ctx.addIssue({ code: 'custom', message: 'is not a valid time' });
        return z.NEVER;
      }
      return ms;
    }),
]);

const rowSchema = z.strictObject({
  contact: z.string().trim().min(1, 'is required').max(320, 'must be at most 320 characters'),
  outcome: z.enum(OUTCOMES, { error: `must be one of ${OUTCOMES.join(', ')}` }),
  at: timeSchema,
  amount: z.number().finite().min(0, 'must not be negative').nullable().optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code')
    .transform((s) => s.toUpperCase())
    .nullable()
    .optional(),
  external_id: z.string().trim().min(1).max(200, 'must be at most 200 characters').nullable().optional(),
  site: z.string().min(1).max(100).nullable().optional(),
});

export function parseOutcomeRow(value: unknown, now: number): ParsedRow {
  const result = rowSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0];
    if (issue?.code === 'unrecognized_keys')
      return { ok: false, field: String(issue.keys[0]), message: 'unknown field' };
    const field = String(issue?.path[0] ?? 'row');
    const message =
      value === null || typeof value !== 'object'
        ? 'each row must be an object'
        : (issue?.message ?? 'invalid');
    return { ok: false, field: issue?.path.length ? field : 'row', message };
  }
  const row = result.data;
  if (row.at < MIN_TIME) return { ok: false, field: 'at', message: 'is before 2000 (milliseconds expected)' };
  if (row.at > now + MAX_FUTURE_MS) return { ok: false, field: 'at', message: 'is in the future' };
  return {
    ok: true,
    row: {
      contact: row.contact,
      outcome: row.outcome,
      at: row.at,
      amount: row.amount ?? null,
      currency: row.currency ?? null,
      external_id: row.external_id ?? null,
      site: row.site ?? null,
    },
  };
}

/** The rows of a body: a JSON array, or NDJSON (blank lines skipped). A broken NDJSON line is that row's error. */
export function parseOutcomesBody(text: string, now: number): ParsedRow[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new AppError(400, 'invalid_json', 'body is empty: send a JSON array or NDJSON');
  let values: unknown[];
  if (trimmed.startsWith('[')) {
    values = parseJsonBody(trimmed) as unknown[];
    if (values.length > MAX_OUTCOME_ROWS) throw tooMany();
    return values.map((v) => parseOutcomeRow(v, now));
  }
  const lines = trimmed.split('\n').filter((line) => line.trim() !== '');
  if (lines.length > MAX_OUTCOME_ROWS) throw tooMany();
  return lines.map((line): ParsedRow => {
    try {
      return parseOutcomeRow(JSON.parse(line), now);
    } catch {
      return { ok: false, field: 'row', message: 'line is not valid JSON' };
    }
  });
}

const tooMany = () =>
  new AppError(413, 'payload_too_large', `at most ${MAX_OUTCOME_ROWS} rows per request`, 'body');
