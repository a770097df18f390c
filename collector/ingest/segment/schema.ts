/**
 * The shape of a Segment HTTP Tracking API message and batch, as leadtrail accepts it. Liberal
 * where Segment's own endpoint is: `null` stands for an absent optional field (analytics.js sends
 * `"userId": null` until identify), ids may be numbers, unknown fields pass. Strict where it
 * matters: every id and name is bounded before anything else reads it.
 */
import { z } from 'zod';
import { MAX_ID, MAX_NAME } from '../../../shared/limits';

/** Segment's limits: one message, and one request body (a batch). */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_SEGMENT_BODY_BYTES = 500 * 1024;
/** User, group and previous ids (a database index holds them). */
export const MAX_USER_ID = 255;

const id = (max: number) =>
  z
    .union([z.string().max(max, `longer than ${max} characters`), z.number().finite()])
    .transform(String)
    .pipe(z.string().min(1, 'must not be empty'));
const time = z.union([z.string().max(64), z.number().finite()]).nullish();
const record = z.record(z.string(), z.unknown()).nullish();

export const MESSAGE_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const messageSchema = z.looseObject({
  type: z.enum(MESSAGE_TYPES),
  messageId: z.string().min(1).max(MAX_ID).nullish(),
  anonymousId: id(MAX_ID).nullish(),
  userId: id(MAX_USER_ID).nullish(),
  previousId: id(MAX_USER_ID).nullish(),
  groupId: id(MAX_USER_ID).nullish(),
  event: z.string().max(MAX_NAME).nullish(),
  name: z.string().max(MAX_NAME).nullish(),
  properties: record,
  traits: record,
  context: z
    .looseObject({
      ip: z.string().max(64).nullish(),
      userAgent: z.string().max(1024).nullish(),
      traits: record,
      page: z
        .looseObject({
          url: z.string().nullish(),
          referrer: z.string().nullish(),
          title: z.string().nullish(),
        })
        .nullish(),
      campaign: record,
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
  context: record,
});
