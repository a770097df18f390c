/**
 * Query-string parsing for the read API. Every endpoint declares its parameters as a zod object;
 * anything unknown or malformed is a 400 naming the parameter, so a typo (`min-score=`) is an
 * error instead of a silently unfiltered answer. Values only ever reach SQL as bound parameters.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { fieldIssue } from '../../shared/field-issue';
import { badField } from '../errors';

export function parseQuery<S extends z.ZodRawShape>(c: Context, shape: S): z.output<z.ZodObject<S>> {
  const result = z.strictObject(shape).safeParse(c.req.query());
  if (result.success) return result.data;
  const issue = fieldIssue(result.error, { root: 'query', nameUnknownKey: true });
  throw badField(issue.field, issue.unknownKey ? 'unknown parameter' : issue.message);
}

/** A finite decimal number (`12`, `-3.5`). */
export const numberParam = z
  .string()
  .trim()
  .regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'must be a number')
  .transform(Number);

export const limitParam = (fallback: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `must be an integer 1–${max}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `must be an integer 1–${max}`)
    .optional()
    .transform((n) => n ?? fallback);

/** `a,b,c` → one or more values from a fixed set (case-insensitive). */
export const listParam = <T extends string>(
  values: readonly T[],
  normalise = (s: string) => s.toLowerCase(),
) =>
  z
    .string()
    .transform((raw) => raw.split(',').map((s) => normalise(s.trim())))
    .refine(
      (list) => list.every((v) => (values as readonly string[]).includes(v)),
      `must be one or more of ${values.join(', ')} (comma-separated)`,
    )
    .transform((list) => [...new Set(list)] as T[]);

/** Free text, bounded. */
export const textParam = (max = 200) => z.string().trim().min(1, 'must not be empty').max(max);

export const orderParam = z.enum(['asc', 'desc']).default('desc');
