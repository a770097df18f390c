/**
 * The shape of a Segment HTTP Tracking API message and batch, as leadtrail accepts it.
 */
import { z } from 'zod';
import { fitsBytes } from '../../../shared/bytes';
import {
  MAX_EMAIL_BYTES,
  MAX_EVENTS_PER_BATCH,
  MAX_ID,
  MAX_NAME,
  MAX_STRING,
  MAX_USER_ID_BYTES,
} from '../../../shared/limits';

// Every string is bounded here, before mapping, identity or any pattern sees it, and the
// error names Segment's own field (`batch.3.userId`).
const id = (max: number) =>
  z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(
      z
        .string()
        .min(1)
        .refine((value) => fitsBytes(value, max), `must be at most ${max} bytes`),
    );
const time = z.union([z.string().max(64), z.number()]).optional();
/**
 * A JSON object taken as it is, not copied: z.record's copy drops an own `__proto__` key
 * silently, and the wire format's props check must see it to refuse it.
 */
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'must be a JSON object',
);
/** Traits are otherwise checked as the wire format's props; their email names a contact. */
const traits = jsonObject.superRefine((value, ctx) => {
  const email = value.email;
  if (typeof email === 'string' && !fitsBytes(email, MAX_EMAIL_BYTES)) {
    ctx.addIssue({ code: 'custom', path: ['email'], message: `must be at most ${MAX_EMAIL_BYTES} bytes` });
  }
});

export const messageSchema = z.looseObject({
  type: z.enum(['track', 'identify', 'page', 'screen', 'group', 'alias']),
  messageId: z.string().min(1).max(128).optional(),
  anonymousId: id(MAX_ID).optional(),
  userId: id(MAX_USER_ID_BYTES).optional(),
  previousId: id(MAX_USER_ID_BYTES).optional(),
  groupId: id(MAX_USER_ID_BYTES).optional(),
  event: z.string().min(1).max(200).optional(),
  name: z.string().max(200).optional(),
  properties: jsonObject.optional(),
  traits: traits.optional(),
  context: z
    .looseObject({
      ip: z.string().max(64).optional(),
      userAgent: z.string().max(MAX_STRING).optional(),
      traits: traits.optional(),
      page: z
        .looseObject({
          url: z.string().optional(),
          referrer: z.string().optional(),
          title: z.string().optional(),
        })
        .optional(),
      campaign: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  timestamp: time,
  originalTimestamp: time,
  sentAt: time,
  writeKey: z.string().max(MAX_NAME).optional(),
});
export type Message = z.output<typeof messageSchema>;

export const batchSchema = z.looseObject({
  batch: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
  sentAt: time,
  writeKey: z.string().max(MAX_NAME).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
