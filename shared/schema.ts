/**
 * Runtime validation of the wire format, shared by the collector and the tests. The SDK imports
 * only the types in events.ts, so none of this reaches the browser bundle.
 */
import { z } from 'zod';
import { fitsBytes } from './bytes';
import type { Batch, Campaign, Props, WireEvent } from './events';
import { CAMPAIGN_KEYS } from './events';
import { fieldIssue } from './field-issue';
import {
  MAX_DEPTH,
  MAX_EMAIL_BYTES,
  MAX_EVENTS_PER_BATCH,
  MAX_ID,
  MAX_NAME,
  MAX_PROPS,
  MAX_STRING,
  MAX_URL,
  MAX_USER_ID_BYTES,
} from './limits';

/** Keys that would reach an object's prototype if some consumer copied props naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// C0/C1 control characters except tab, newline and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to match them
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Strings are cleaned of control characters rather than refused: a stray \u0000 in a title is not worth losing the event. */
export const cleanString = (value: string): string =>
  CONTROL_CHARS.test(value) ? value.replace(CONTROL_CHARS, '') : value;

const text = (max: number) => z.string().max(max).transform(cleanString);

/**
 * identify's `user`: an email (at most 254 bytes) or a user id (at most 255 bytes). Bounded in
 * bytes because that is what storage indexes hold (PostgreSQL refuses a b-tree row over ~2.7 KB),
 * and bounded before any pattern looks at it.
 */
export const userSchema = z
  .string()
  .max(MAX_USER_ID_BYTES, `must be at most ${MAX_USER_ID_BYTES} bytes`)
  .superRefine((value, ctx) => {
    const email = value.includes('@');
    const max = email ? MAX_EMAIL_BYTES : MAX_USER_ID_BYTES;
    if (!fitsBytes(value, max)) {
      ctx.addIssue({
        code: 'custom',
        message: email ? `an email must be at most ${max} bytes` : `a user id must be at most ${max} bytes`,
      });
    }
  })
  .transform(cleanString);

/**
 * Walks a props/traits value: depth, key count, forbidden keys, string lengths.
 * Hand-written rather than a recursive zod schema: it is the hot part of validation, and
 * it needs the key count across all levels, which zod cannot express.
 */
function checkProps(value: unknown, ctx: z.RefinementCtx): void {
  let keys = 0;
  const walk = (node: unknown, depth: number, path: (string | number)[]): boolean => {
    if (node === null || typeof node === 'boolean') return true;
    if (typeof node === 'number') {
      if (Number.isFinite(node)) return true;
      ctx.addIssue({ code: 'custom', message: 'must be a finite number', path });
      return false;
    }
    if (typeof node === 'string') {
      if (node.length <= MAX_STRING) return true;
      ctx.addIssue({ code: 'custom', message: `string longer than ${MAX_STRING} characters`, path });
      return false;
    }
    if (typeof node !== 'object') {
      ctx.addIssue({ code: 'custom', message: 'must be JSON', path });
      return false;
    }
    if (depth > MAX_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `nested deeper than ${MAX_DEPTH} levels`, path });
      return false;
    }
    if (Array.isArray(node)) {
      keys += node.length;
      if (keys > MAX_PROPS) {
        ctx.addIssue({ code: 'custom', message: `more than ${MAX_PROPS} keys`, path });
        return false;
      }
      return node.every((item, i) => walk(item, depth + 1, [...path, i]));
    }
    for (const key of Object.keys(node)) {
      if (key.length > MAX_NAME) {
        ctx.addIssue({ code: 'custom', message: `key longer than ${MAX_NAME} characters`, path });
        return false;
      }
      // Judged as it will be stored: control characters are removed first, so "__pro\u0000to__"
      // is the __proto__ it would become.
      const cleaned = cleanString(key);
      if (FORBIDDEN_KEYS.has(cleaned)) {
        ctx.addIssue({
          code: 'custom',
          message: `key "${cleaned}" is not allowed`,
          path: [...path, cleaned],
        });
        return false;
      }
      if (++keys > MAX_PROPS) {
        ctx.addIssue({ code: 'custom', message: `more than ${MAX_PROPS} keys`, path });
        return false;
      }
      if (!walk((node as Record<string, unknown>)[key], depth + 1, [...path, key])) return false;
    }
    return true;
  };
  walk(value, 1, []);
}

/**
 * Removes control characters from every string inside props, keys included. The copies have no
 * prototype, so no key (whatever it turns into) can reach Object.prototype through them.
 */
function cleanProps(value: Props): Props {
  const clean = (node: unknown): unknown => {
    if (typeof node === 'string') return cleanString(node);
    if (Array.isArray(node)) return node.map(clean);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, v] of Object.entries(node)) out[cleanString(k)] = clean(v);
      return out;
    }
    return node;
  };
  return clean(value) as Props;
}

// Validated on the raw parsed JSON (not through z.record, whose copy would swallow an own
// `__proto__` key before we could see it).
export const propsSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return;
    }
    checkProps(value, ctx);
  })
  .transform((value) => cleanProps(value as Props));

const campaignShape = Object.fromEntries(CAMPAIGN_KEYS.map((key) => [key, text(MAX_STRING).optional()])) as {
  [K in keyof Campaign]-?: z.ZodOptional<z.ZodPipe<z.ZodString, z.ZodTransform<string, string>>>;
};
export const campaignSchema = z.object(campaignShape);

/** Client timestamps: ms since epoch, within a sane range (2000 – 2100). */
const timestamp = z.number().int().min(946_684_800_000).max(4_102_444_800_000);

export const eventSchema = z.object({
  id: z.string().min(1).max(MAX_ID),
  type: z.enum(['page', 'track', 'identify']),
  name: text(MAX_NAME).optional(),
  ts: timestamp,
  anon: z.string().min(1).max(MAX_ID).optional(),
  session: z.string().min(1).max(MAX_ID).optional(),
  url: text(MAX_URL).optional(),
  ref: text(MAX_URL).optional(),
  title: text(MAX_STRING).optional(),
  props: propsSchema.optional(),
  traits: propsSchema.optional(),
  user: userSchema.optional(),
  hmac: z.string().max(256).optional(),
  campaign: campaignSchema.optional(),
  auto: z.literal(1).optional(),
});

export const batchSchema = z.object({
  site: z.string().min(1).max(MAX_NAME),
  sent_at: timestamp.optional(),
  events: z.array(eventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

// Compile-time guarantee that the schema's output is exactly the wire types of events.ts.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _eventMatches: Exact<z.output<typeof eventSchema>, WireEvent> = true;
const _batchMatches: Exact<z.output<typeof batchSchema>, Batch> = true;
void _eventMatches;
void _batchMatches;

/** A validation failure, with the first offending field as a dotted path (`events.3.url`). */
export interface SchemaError {
  field: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: SchemaError };

function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const { field, message } = fieldIssue(result.error, { root: '(body)' });
  return { ok: false, error: { field, message } };
}

export const parseBatch = (input: unknown): Parsed<Batch> => parseWith(batchSchema, input);
export const parseEvent = (input: unknown): Parsed<WireEvent> => parseWith(eventSchema, input);
