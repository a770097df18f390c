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
  MAX_URL,
  MAX_USER_ID_BYTES,
} from '../../../shared/limits';
import { propsSchema } from '../../../shared/schema';

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
 * Objects are checked as the wire format's props (keys, depth, string lengths, forbidden keys
 * after control characters), on the object as sent — z.record's copy would drop an own
 * `__proto__` key silently — also when the message type leaves them unused.
 */
const object = propsSchema;
/** Traits' email names a contact: bounded as an email. */
const traits = propsSchema.superRefine((value, ctx) => {
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
  properties: object.optional(),
  traits: traits.optional(),
  context: z
    .looseObject({
      ip: z.string().max(64).optional(),
      userAgent: z.string().max(MAX_STRING).optional(),
      traits: traits.optional(),
      page: z
        .looseObject({
          url: z.string().max(MAX_URL).optional(),
          referrer: z.string().max(MAX_URL).optional(),
          title: z.string().max(MAX_STRING).optional(),
        })
        .optional(),
      campaign: object.optional(),
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
