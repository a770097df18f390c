/**
 * The small condition language every rule uses to test one value (an event prop, a trait):
 *   "enterprise"             equals (strings compare trimmed and case-insensitively)
 *   ["saas", "software"]     one of
 *   { "exists": true }       present and not empty / false
 *   { "matches": "^vp\\b" }  regular expression, case-insensitive
 *   { "gte": 50, "lte": 1000 } numeric range; "51-200" and "1000+" style strings are understood
 *   { "in": [...], "not_in": [...], "equals": x } the long forms
 * Every key of an object condition must hold.
 */
import { z } from 'zod';
import type { JsonValue } from '../../../shared/events';

const primitive = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
export type Primitive = z.output<typeof primitive>;

const isValidRegex = (source: string): boolean => {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
};

export const regexSchema = z
  .string()
  .min(1)
  .max(500)
  .refine(isValidRegex, 'is not a valid regular expression');

const objectCondition = z
  .strictObject({
    exists: z.boolean().optional(),
    equals: primitive.optional(),
    in: z.array(primitive).min(1).optional(),
    not_in: z.array(primitive).min(1).optional(),
    matches: regexSchema.optional(),
    gte: z.number().optional(),
    gt: z.number().optional(),
    lte: z.number().optional(),
    lt: z.number().optional(),
  })
  .refine((c) => Object.keys(c).length > 0, 'needs at least one test (exists, equals, in, matches, gte, …)');

/**
 * Picks the schema by the shape of the input so that a typo inside an object condition is reported
 * as that typo ("Unrecognized key") and not as a vague "no union member matched".
 */
export const conditionSchema = z.unknown().transform((value, ctx) => {
  const schema = Array.isArray(value)
    ? z.array(primitive).min(1)
    : value !== null && typeof value === 'object'
      ? objectCondition
      : primitive;
  const result = schema.safeParse(value);
  if (result.success) return result.data as Condition;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

export type ObjectCondition = z.output<typeof objectCondition>;
export type Condition = Primitive | Primitive[] | ObjectCondition;

/** A condition with its regular expression compiled once. */
export type CompiledCondition = (value: JsonValue | undefined) => boolean;

const norm = (value: Primitive | JsonValue | undefined): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

const same = (a: JsonValue | undefined, b: Primitive): boolean => norm(a) === norm(b);

const present = (value: JsonValue | undefined): boolean =>
  value !== undefined &&
  value !== null &&
  value !== false &&
  !(typeof value === 'string' && value.trim() === '');

/**
 * Numbers as people type them into forms: 250, "250", "1,200", "51-200" (the lower bound),
 * "1000+" (more than 1000, so 1001). Anything else is not a number.
 */
export function numberOf(value: JsonValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.replace(/[,\s_]/g, '');
  let m = /^(\d+(?:\.\d+)?)\+$/.exec(text);
  if (m) return Number(m[1]) + 1;
  m = /^(\d+(?:\.\d+)?)[-–](\d+(?:\.\d+)?)$/.exec(text);
  if (m) return Number(m[1]);
  m = /^-?\d+(?:\.\d+)?$/.exec(text);
  return m ? Number(text) : null;
}

export function compileCondition(condition: Condition): CompiledCondition {
  if (condition === null || typeof condition !== 'object') return (value) => same(value, condition);
  if (Array.isArray(condition)) return (value) => condition.some((option) => same(value, option));
  const tests: CompiledCondition[] = [];
  const c = condition;
  if (c.exists !== undefined) tests.push((value) => present(value) === c.exists);
  if (c.equals !== undefined) tests.push((value) => same(value, c.equals as Primitive));
  if (c.in) tests.push((value) => c.in!.some((option) => same(value, option)));
  if (c.not_in) tests.push((value) => !c.not_in!.some((option) => same(value, option)));
  if (c.matches !== undefined) {
    const re = new RegExp(c.matches, 'i');
    tests.push((value) => (typeof value === 'string' || typeof value === 'number') && re.test(String(value)));
  }
  const bounds: [number | undefined, (n: number, b: number) => boolean][] = [
    [c.gte, (n, b) => n >= b],
    [c.gt, (n, b) => n > b],
    [c.lte, (n, b) => n <= b],
    [c.lt, (n, b) => n < b],
  ];
  for (const [bound, holds] of bounds) {
    if (bound === undefined) continue;
    tests.push((value) => {
      const n = numberOf(value);
      return n !== null && holds(n, bound);
    });
  }
  return (value) => tests.every((test) => test(value));
}

/** A path glob: `*` is any run of characters, `?` one character; case-insensitive, whole path. */
export function compileGlob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** A value at a dotted path (`company.employees`) in props or traits. */
export function valueAt(source: { [key: string]: JsonValue } | null, path: string): JsonValue | undefined {
  if (!source) return undefined;
  if (Object.hasOwn(source, path)) return source[path];
  let current: JsonValue | undefined = source;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, key) ? current[key] : undefined;
  }
  return current;
}
