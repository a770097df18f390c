/**
 * Segment-compatible ingestion, so analytics.js (`@segment/analytics-next`), analytics-node,
 * RudderStack's SDKs and plain server code send to leadtrail unchanged. Paths: `/v1/batch`
 * (`/v1/b`), `/v1/import`, `/v1/track|identify|page|screen|group|alias` and their one-letter
 * forms (`/v1/t`, `/v1/i`, …, what analytics.js posts to), and `/v1/m` (analytics.js's usage
 * counters: accepted and dropped). Liberal as Segment's endpoint is: any content type whose body
 * is JSON (gzip or not), `null` for absent fields, the write key as Basic-auth username or
 * `writeKey` in the body. Strict where it matters: Segment's limits (500 KB a request, 32 KB a
 * message), bounded ids, and who may name a person (identity.ts). Messages map onto the wire
 * format and go through the same pipeline as the script's beacons.
 */
import { type Context, Hono } from 'hono';
import type { z } from 'zod';
import type { WireEvent } from '../../../shared/events';
import { fieldIssue } from '../../../shared/field-issue';
import { parseEvent } from '../../../shared/schema';
import { AppError, badField } from '../../errors';
import { clientIp } from '../client';
import { fromBrowser, refuseServerKeyFromBrowser, resolveWriteKey, type WriteKey } from '../keys';
import { type CollectDeps, checkIpRate, checkSiteRate } from '../routes';
import type { EventOrigin, PreparedEvent } from '../types';
import { decode, parseJsonBody, readBody } from '../validate';
import { corsForSegment } from './cors';
import { decideNaming } from './identity';
import { eventTime, millis, toWireEvent } from './mapping';
import {
  batchSchema,
  MAX_MESSAGE_BYTES,
  MAX_SEGMENT_BODY_BYTES,
  type Message,
  type MessageType,
  messageSchema,
} from './schema';

/** The write key: Basic-auth username (Segment's way), or `writeKey` in the body. */
export function writeKeyOf(header: string | undefined, body: unknown): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]{1,1024})$/i.exec(header?.trim().slice(0, 1100) ?? '');
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const user = decoded.split(':')[0];
    if (user) return user;
  }
  const inBody = (body as { writeKey?: unknown }).writeKey;
  if (typeof inBody === 'string' && inBody) return inBody;
  // A batch from analytics.js's batching mode carries the key on each message.
  const first = (body as { batch?: unknown[] }).batch?.[0] as { writeKey?: unknown } | undefined;
  return typeof first?.writeKey === 'string' && first.writeKey ? first.writeKey : undefined;
}

const firstIssue = (at: string, error: z.ZodError, root = 'message') => {
  const issue = fieldIssue(error, { root, prefix: at.replace(/\.$/, '') });
  return badField(issue.field, issue.message);
};

const tooLargeMessage = (field: string) =>
  new AppError(
    400,
    'payload_too_large',
    `${field || 'message'}: message larger than ${MAX_MESSAGE_BYTES} bytes (Segment's limit)`,
    field || undefined,
  );

/** Segment's semantic checks, beyond the shape. */
function checkMessage(m: Message, at: string): void {
  if (!m.anonymousId && !m.userId) throw badField(`${at}userId`, 'userId or anonymousId is required');
  if (m.type === 'track' && !m.event) throw badField(`${at}event`, 'event is required for track');
  if (m.type === 'alias' && (!m.previousId || !m.userId))
    throw badField(`${at}previousId`, 'alias needs previousId and userId');
}

/** Where each message came from: the browser that sent it, or the visitor a server names. */
function originOf(c: Context, m: Message, key: WriteKey, connectionIp: string | null): EventOrigin {
  if (key.trust === 'server') {
    const userAgent = m.context?.userAgent ?? null;
    return { userAgent, ip: m.context?.ip ?? null, serverSide: userAgent === null };
  }
  // Public key: the IP is the connection's (never context.ip), the agent the browser's own.
  const userAgent = (fromBrowser(c) ? c.req.header('user-agent') : undefined) ?? m.context?.userAgent ?? null;
  return { userAgent, ip: connectionIp, serverSide: userAgent === null };
}

export function segmentRoutes(deps: CollectDeps) {
  const app = new Hono();
  app.use('/v1/*', corsForSegment(deps.config));

  const handle = async (c: Context, single?: MessageType) => {
    const receivedAt = deps.clock();
    const browser = fromBrowser(c);
    const connectionIp = clientIp(c, deps.config);
    // Browsers are limited per IP like beacons; server-side sources send everything from one
    // address, so they get a per-IP bucket of their own that never drains the beacons'.
    checkIpRate(deps, connectionIp, browser ? 'browser' : 'server');
    const text = decode(c, await readBody(c, MAX_SEGMENT_BODY_BYTES), MAX_SEGMENT_BODY_BYTES);
    const body = parseJsonBody(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw badField('(body)', 'must be a JSON object');

    const presented = writeKeyOf(c.req.header('authorization'), body);
    if (!presented)
      throw new AppError(401, 'unauthorized', 'missing write key: send it as the Basic-auth username');
    const key = resolveWriteKey(deps.config, presented);
    if (!key) throw new AppError(403, 'unknown_site', 'unknown write key', 'writeKey');
    refuseServerKeyFromBrowser(c, key, 'writeKey');
    const origin = c.req.header('origin');
    if (origin && !key.site.origins.includes(origin)) {
      throw new AppError(
        403,
        'origin_not_allowed',
        `origin ${origin} is not allowed for this site`,
        'origin',
      );
    }
    // A bucket of its own per site, so a noisy server-side source never makes visitors' beacons 429.
    checkSiteRate(deps, key.site.key, 'server');

    let raw: unknown[];
    let batchSentAt: number | undefined;
    if (single) {
      raw = [{ ...(body as object), type: single }];
    } else {
      const parsed = batchSchema.safeParse(body);
      if (!parsed.success) throw firstIssue('', parsed.error, 'batch');
      raw = parsed.data.batch;
      batchSentAt = millis(parsed.data.sentAt);
    }

    const events: WireEvent[] = [];
    const extras: { userId?: string | undefined; aliasOf?: string | undefined }[] = [];
    const proven: boolean[] = [];
    const perEvent: EventOrigin[] = [];
    raw.forEach((item, i) => {
      const at = single ? '' : `batch.${i}.`;
      // The shape first, so an over-long field is named (every field is bounded in linear
      // time); then Segment's size limit for a message whose fields are each within bounds.
      const parsed = messageSchema.safeParse(item);
      if (!parsed.success) throw firstIssue(at, parsed.error);
      if (
        single
          ? Buffer.byteLength(text) > MAX_MESSAGE_BYTES
          : Buffer.byteLength(JSON.stringify(item) ?? '') > MAX_MESSAGE_BYTES
      )
        throw tooLargeMessage(single ? '' : `batch.${i}`);
      const m = parsed.data;
      checkMessage(m, at);
      const decision = decideNaming(m, key, at, receivedAt);
      const { event, userId, aliasOf } = toWireEvent(m, decision, eventTime(m, batchSentAt, receivedAt));
      const checked = parseEvent(event);
      if (!checked.ok) throw badField(`${at}${checked.error.field}`, checked.error.message);
      events.push(checked.value);
      extras.push({ userId, aliasOf });
      proven.push(decision.signed && (event.type === 'identify' || userId !== undefined));
      perEvent.push(originOf(c, m, key, connectionIp));
    });

    await deps.ingest(
      events,
      {
        site: key.site,
        receivedAt,
        ip: connectionIp,
        userAgent: null,
        trust: key.trust,
        proven,
        perEvent,
      },
      (prepared: PreparedEvent, i: number) => {
        const extra = extras[i];
        if (!extra) return;
        // Segment's userId identifies every message it is on, not only identify calls.
        if (extra.userId) {
          prepared.userId = extra.userId;
          if (!prepared.user) prepared.user = extra.userId;
          // Kept on the row too, so history shows which message named the person (and when).
          prepared.row.user ??= extra.userId;
        }
        if (extra.aliasOf) prepared.aliasOf = extra.aliasOf;
      },
    );
    return c.json({ success: true }, 200);
  };

  /** Errors in Segment's shape (`success`, `message`) beside ours (`error` with code and field). */
  const segment = (single?: MessageType) => async (c: Context) => {
    try {
      return await handle(c, single);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
      return c.json({ success: false, message: error.message, ...error.toJSON() }, error.status);
    }
  };

  for (const path of ['/v1/batch', '/v1/b', '/v1/import']) app.post(path, segment());
  for (const type of ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const) {
    app.post(`/v1/${type}`, segment(type));
    app.post(`/v1/${type.charAt(0)}`, segment(type));
  }
  // analytics.js's usage counters: read (bounded) and dropped.
  app.post('/v1/m', async (c) => {
    await readBody(c, MAX_MESSAGE_BYTES).catch(() => undefined);
    return c.json({ success: true }, 200);
  });
  return app;
}
