/**
 * Segment-compatible ingestion (`/v1/batch|track|identify|page|group|alias`), so analytics.js,
 * analytics-node, RudderStack and plain server code can send to leadtrail. Segment's HTTP
 * Tracking API semantics: the write key (a site key) is the Basic-auth username, `messageId`
 * dedupes, `anonymousId`/`userId` identify, `context.campaign` and `context.page` carry the
 * touch. Messages are mapped onto the wire format and go through the same pipeline.
 */
import { type Context, Hono } from 'hono';
import type { WireEvent } from '../../../shared/events';
import { fieldIssue } from '../../../shared/field-issue';
import { parseEvent } from '../../../shared/schema';
import { AppError, badField } from '../../errors';
import { clientIp } from '../client';
import { type CollectDeps, checkIpRate, checkSiteRate, findSite } from '../routes';
import type { PreparedEvent } from '../types';
import { checkContentType, decode, parseJsonBody, readBody } from '../validate';
import { millis, toWireEvent } from './mapping';
import { batchSchema, type Message, messageSchema } from './schema';

/** The write key: Basic-auth username (Segment's way), or `writeKey` in the body. */
function writeKeyOf(header: string | undefined, body: { writeKey?: string | undefined }): string | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header?.trim() ?? '');
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    return decoded.split(':')[0] || undefined;
  }
  return body.writeKey;
}

export function segmentRoutes(deps: CollectDeps) {
  const app = new Hono();

  const handle = async (c: Context, single?: Message['type']) => {
    const receivedAt = deps.clock();
    // Server-side sources send everything from one address: a per-IP bucket of their own.
    checkIpRate(deps, clientIp(c, deps.config), 'server');
    checkContentType(c);
    const text = decode(c, await readBody(c));
    const body = parseJsonBody(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw badField('(body)', 'must be a JSON object');

    let raw: unknown[];
    let sentAt: number | undefined;
    let prefix: string;
    if (single) {
      raw = [{ ...(body as object), type: single }];
      prefix = '';
      sentAt = millis((body as { sentAt?: string | number }).sentAt);
    } else {
      const parsed = batchSchema.safeParse(body);
      if (!parsed.success) {
        const issue = fieldIssue(parsed.error, { root: 'batch' });
        throw badField(issue.field, issue.message);
      }
      raw = parsed.data.batch;
      prefix = 'batch.';
      sentAt = millis(parsed.data.sentAt);
    }

    const key = writeKeyOf(c.req.header('authorization'), body as { writeKey?: string });
    if (!key)
      throw new AppError(401, 'unauthorized', 'missing write key: send it as the Basic-auth username');
    const site = findSite(deps.config, key);
    if (!site) throw new AppError(403, 'unknown_site', 'unknown write key', 'writeKey');
    checkSiteRate(deps, site.key, 'server');

    const events: WireEvent[] = [];
    const extras: { userId?: string | undefined; aliasOf?: string | undefined }[] = [];
    let userAgent: string | null = null;
    let ip: string | null = null;
    raw.forEach((item, i) => {
      const at = single ? '' : `${prefix}${i}.`;
      const message = messageSchema.safeParse(item);
      if (!message.success) {
        const issue = fieldIssue(message.error, { root: 'message', prefix: at.replace(/\.$/, '') });
        throw badField(issue.field, issue.message);
      }
      const m = message.data;
      if (!m.anonymousId && !m.userId) throw badField(`${at}userId`, 'userId or anonymousId is required');
      if (m.type === 'track' && !m.event) throw badField(`${at}event`, 'event is required for track');
      if (m.type === 'alias' && (!m.previousId || !m.userId))
        throw badField(`${at}previousId`, 'alias needs previousId and userId');
      const { event, userId, aliasOf } = toWireEvent(m, receivedAt);
      const checked = parseEvent(event);
      if (!checked.ok) throw badField(`${at}${checked.error.field}`, checked.error.message);
      events.push(checked.value);
      extras.push({ userId, aliasOf });
      userAgent ??= m.context?.userAgent ?? null;
      ip ??= m.context?.ip ?? null;
    });

    await deps.ingest(
      events,
      {
        site,
        receivedAt,
        ip: ip ?? clientIp(c, deps.config),
        userAgent,
        sentAt,
        serverSide: userAgent === null,
      },
      (prepared: PreparedEvent, i: number) => {
        const extra = extras[i];
        if (!extra) return;
        // Segment's userId identifies every message it is on, not only identify calls.
        if (extra.userId) {
          prepared.userId = extra.userId;
          if (!prepared.user) prepared.user = extra.userId;
        }
        if (extra.aliasOf) prepared.aliasOf = extra.aliasOf;
      },
    );
    return c.json({ success: true }, 200);
  };

  app.post('/v1/batch', (c) => handle(c));
  app.post('/v1/import', (c) => handle(c));
  for (const type of ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const) {
    app.post(`/v1/${type}`, (c) => handle(c, type));
  }
  return app;
}
