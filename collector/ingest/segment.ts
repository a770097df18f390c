/**
 * Segment-compatible ingestion (`/v1/batch|track|identify|page|group|alias`), so analytics.js,
 * analytics-node, RudderStack and plain server code can send to leadtrail. Segment's HTTP
 * Tracking API semantics: the write key (a site key) is the Basic-auth username, `messageId`
 * dedupes, `anonymousId`/`userId` identify, `context.campaign` and `context.page` carry the
 * touch. Messages are mapped onto the wire format and go through the same pipeline.
 */
import { type Context, Hono } from 'hono';
import { nanoid } from 'nanoid';
import { z } from 'zod';
import type { Campaign, Props, WireEvent } from '../../shared/events';
import { MAX_EVENTS_PER_BATCH } from '../../shared/limits';
import { parseEvent } from '../../shared/schema';
import { AppError, badField } from '../errors';
import { clientIp } from './client';
import { type CollectDeps, checkSiteRate, findSite } from './routes';
import type { PreparedEvent } from './types';
import { checkContentType, decode, parseJson, readBody } from './validate';

const id = z.union([z.string().min(1), z.number()]).transform(String);
const time = z.union([z.string(), z.number()]).optional();

const messageSchema = z.looseObject({
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
type Message = z.output<typeof messageSchema>;

const batchSchema = z.looseObject({
  batch: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
  sentAt: time,
  writeKey: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

const millis = (value: string | number | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
};

function campaignOf(context: Message['context']): Campaign | undefined {
  const c = context?.campaign;
  if (!c) return undefined;
  const pick = (key: string) => (typeof c[key] === 'string' ? (c[key] as string) : undefined);
  const campaign: Campaign = {};
  const map: [keyof Campaign, string | undefined][] = [
    ['utm_source', pick('source')],
    ['utm_medium', pick('medium')],
    ['utm_campaign', pick('name') ?? pick('campaign')],
    ['utm_term', pick('term')],
    ['utm_content', pick('content')],
  ];
  for (const [key, value] of map) if (value) campaign[key] = value;
  return Object.keys(campaign).length > 0 ? campaign : undefined;
}

/** One Segment message → one wire event plus what identity needs beyond the wire format. */
export function toWireEvent(
  message: Message,
  now: number,
): { event: WireEvent; userId?: string; aliasOf?: string } {
  const properties = (message.properties ?? {}) as Props;
  const page = message.context?.page;
  const traits = (message.traits ?? message.context?.traits) as Props | undefined;
  const email = typeof traits?.email === 'string' ? traits.email : undefined;
  const base = {
    id: message.messageId ?? nanoid(),
    ts: millis(message.timestamp) ?? millis(message.originalTimestamp) ?? now,
    ...(message.anonymousId ? { anon: message.anonymousId } : {}),
  };
  const campaign = campaignOf(message.context);
  const withCampaign = campaign ? { campaign } : {};
  switch (message.type) {
    case 'page':
    case 'screen': {
      const { url, path: _path, referrer, title, ...rest } = properties;
      const pageUrl = (typeof url === 'string' ? url : undefined) ?? page?.url;
      const ref = (typeof referrer === 'string' ? referrer : undefined) ?? page?.referrer;
      const pageTitle = (typeof title === 'string' ? title : undefined) ?? page?.title;
      return {
        event: {
          ...base,
          type: 'page',
          ...(pageUrl ? { url: pageUrl } : {}),
          ...(ref ? { ref } : {}),
          ...(pageTitle ? { title: pageTitle } : {}),
          props: { ...rest, ...(message.name ? { name: message.name } : {}) },
          ...withCampaign,
        },
        ...(message.userId ? { userId: message.userId } : {}),
      };
    }
    case 'identify':
      return {
        event: {
          ...base,
          type: 'identify',
          user: email ?? message.userId ?? '',
          ...(traits ? { traits } : {}),
          ...withCampaign,
        },
        ...(message.userId ? { userId: message.userId } : {}),
      };
    case 'alias':
      return {
        event: { ...base, type: 'identify', user: message.userId ?? '' },
        ...(message.userId ? { userId: message.userId } : {}),
        ...(message.previousId ? { aliasOf: message.previousId } : {}),
      };
    case 'group':
      return {
        event: {
          ...base,
          type: 'track',
          name: 'group',
          props: { group_id: message.groupId ?? '', ...(traits ?? {}) },
        },
        ...(message.userId ? { userId: message.userId } : {}),
      };
    default:
      return {
        event: {
          ...base,
          type: 'track',
          name: message.event ?? '',
          props: properties,
          ...(page?.url ? { url: page.url } : {}),
          ...withCampaign,
        },
        ...(message.userId ? { userId: message.userId } : {}),
      };
  }
}

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
    // No per-IP limit here: server-side sources send everything from one address.
    checkContentType(c);
    const text = decode(c, await readBody(c));
    const body = parseJson(text);
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
        const issue = parsed.error.issues[0]!;
        throw badField(issue.path.join('.') || 'batch', issue.message);
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
    checkSiteRate(deps, site.key);

    const events: WireEvent[] = [];
    const extras: { userId?: string | undefined; aliasOf?: string | undefined }[] = [];
    let userAgent: string | null = null;
    let ip: string | null = null;
    raw.forEach((item, i) => {
      const at = single ? '' : `${prefix}${i}.`;
      const message = messageSchema.safeParse(item);
      if (!message.success) {
        const issue = message.error.issues[0]!;
        throw badField(`${at}${issue.path.join('.')}`.replace(/\.$/, '') || 'message', issue.message);
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
        ip: ip ?? clientIp(c, deps.config.trustProxy),
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
