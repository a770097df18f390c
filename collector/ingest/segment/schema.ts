/**
 * The shape of a Segment HTTP Tracking API message and batch, as leadtrail accepts it. Liberal
 * where Segment's own endpoint is: `null` stands for an absent optional field (analytics.js sends
 * `"userId": null` until identify), ids may be numbers, unknown fields pass. Strict where it
 * matters: every id and name is bounded before anything else reads it.
 */
import { z } from 'zod';
import { fitsBytes } from '../../../shared/bytes';
import {
  MAX_EMAIL_BYTES,
  MAX_ID,
  MAX_NAME,
  MAX_STRING,
  MAX_URL,
  MAX_USER_ID_BYTES,
} from '../../../shared/limits';
import { propsSchema } from '../../../shared/schema';

/** Segment's limits: one message, and one request body (a batch). */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_SEGMENT_BODY_BYTES = 500 * 1024;

// Every string is bounded here, before mapping, identity or any pattern sees it, and the
// error names Segment's own field (`batch.3.userId`).
const id = (max: number) =>
  z
    .union([z.string(), z.number().finite()])
    .transform(String)
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .refine((value) => fitsBytes(value, max), `must be at most ${max} bytes`),
    );
const time = z.union([z.string().max(64), z.number().finite()]).nullish();
/**
 * Objects are checked as the wire format's props (keys, depth, string lengths, forbidden keys
 * after control characters), on the object as sent — z.record's copy would drop an own
 * `__proto__` key silently — also when the message type leaves them unused.
 */
const object = propsSchema.nullish();
/** Traits' email names a contact: bounded as an email. */
const traits = propsSchema
  .superRefine((value, ctx) => {
    const email = value.email;
    if (typeof email === 'string' && !fitsBytes(email, MAX_EMAIL_BYTES)) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: `must be at most ${MAX_EMAIL_BYTES} bytes` });
    }
  })
  .nullish();

export const MESSAGE_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const messageSchema = z.looseObject({
  type: z.enum(MESSAGE_TYPES),
  messageId: z.string().min(1).max(MAX_ID).nullish(),
  anonymousId: id(MAX_ID).nullish(),
  userId: id(MAX_USER_ID_BYTES).nullish(),
  previousId: id(MAX_USER_ID_BYTES).nullish(),
  groupId: id(MAX_USER_ID_BYTES).nullish(),
  event: z.string().max(MAX_NAME).nullish(),
  name: z.string().max(MAX_NAME).nullish(),
  properties: object,
  traits,
  context: z
    .looseObject({
      ip: z.string().max(64).nullish(),
      userAgent: z.string().max(MAX_STRING).nullish(),
      traits,
      page: z
        .looseObject({
          url: z.string().max(MAX_URL).nullish(),
          referrer: z.string().max(MAX_URL).nullish(),
          title: z.string().max(MAX_STRING).nullish(),
        })
        .nullish(),
      campaign: object,
      /** Signed identity from the site's backend, for sites with an `identity_secret`. */
      leadtrail: z.looseObject({ signature: z.string().max(2048).nullish() }).nullish(),
    })
    .nullish(),
  timestamp: time,
  originalTimestamp: time,
  sentAt: time,
  /** Present on exported messages (Segment's, RudderStack's): their `timestamp` is already corrected. */
  receivedAt: time,
  writeKey: z.string().max(256).nullish(),
});
export type Message = z.output<typeof messageSchema>;

export const batchSchema = z.looseObject({
  batch: z.array(z.unknown()).min(1, 'must hold at least one message'),
  sentAt: time,
  writeKey: z.string().max(256).nullish(),
  context: object,
});
