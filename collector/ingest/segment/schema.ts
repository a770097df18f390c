/**
 * The shape of a Segment HTTP Tracking API message and batch, as leadtrail accepts it.
 */
import { z } from 'zod';
import { MAX_EVENTS_PER_BATCH } from '../../../shared/limits';

const id = z.union([z.string().min(1), z.number()]).transform(String);
const time = z.union([z.string(), z.number()]).optional();

export const messageSchema = z.looseObject({
  type: z.enum(['track', 'identify', 'page', 'screen', 'group', 'alias']),
  messageId: z.string().min(1).max(128).optional(),
  anonymousId: id.optional(),
  userId: id.optional(),
  previousId: id.optional(),
  groupId: id.optional(),
  event: z.string().min(1).max(200).optional(),
  name: z.string().max(200).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  traits: z.record(z.string(), z.unknown()).optional(),
  context: z
    .looseObject({
      ip: z.string().optional(),
      userAgent: z.string().optional(),
      traits: z.record(z.string(), z.unknown()).optional(),
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
  writeKey: z.string().optional(),
});
export type Message = z.output<typeof messageSchema>;

export const batchSchema = z.looseObject({
  batch: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
  sentAt: time,
  writeKey: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
